package io.deltasync.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where the build put what the tests need (system properties set by the module's failsafe
 * configuration), with defaults for a run from an IDE in the module's directory.
 */
public final class E2eSettings {

  private E2eSettings() {}

  /** The runtime classpath of the console application, as Maven resolved it. */
  static String appClasspath() {
    Path file = Path.of(property("e2e.classpath.file", "target/e2e-app.classpath"));
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "no application classpath at " + file + ": build the module with Maven first", e);
    }
  }

  /** The module's test classes: the shop client application and the test changelog. */
  static String testClasses() {
    return Path.of(property("e2e.test.classes", "target/test-classes")).toAbsolutePath().toString();
  }

  /** The JVM options the processes need (Hazelcast's on JDK 17). */
  static List<String> jvmOptions() {
    String options = property("e2e.jvm.options", "");
    return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  /** The directory for logs, databases and screenshots of this run. */
  public static Path work() {
    return Path.of(property("e2e.work", "target/e2e")).toAbsolutePath();
  }

  /** The repository's docs directory, where the README's console screenshots live. */
  static Path docs() {
    return Path.of(property("e2e.docs", "../docs")).toAbsolutePath();
  }

  private static String property(String key, String fallback) {
    String value = System.getProperty(key);
    return value == null || value.isBlank() ? fallback : value;
  }
}
