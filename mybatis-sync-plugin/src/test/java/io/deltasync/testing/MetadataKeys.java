package io.deltasync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration keys Spring Boot binds, as every {@code spring-configuration-metadata.json} on
 * the class path names them: for tests that check a README's table of keys against them.
 */
public final class MetadataKeys {

  private MetadataKeys() {}

  /** The names of the metadata matching {@code key} (a regex of a whole name). */
  public static Set<String> matching(String key) throws IOException {
    Set<String> keys = new TreeSet<>();
    Pattern name = Pattern.compile("\"name\": \"(" + key + ")\"");
    for (URL url :
        Collections.list(
            MetadataKeys.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        Matcher matcher = name.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        while (matcher.find()) {
          keys.add(matcher.group(1));
        }
      }
    }
    return keys;
  }
}
