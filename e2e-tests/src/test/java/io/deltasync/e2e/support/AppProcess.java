package io.deltasync.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One application of the system under test in a JVM of its own, started the way a user starts it:
 * {@code java -cp <the console jar and its dependencies> <main class> --key=value ...}. Its output
 * goes to {@code target/e2e/logs/<name>.log}, appended across restarts.
 */
public final class AppProcess {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final String mainClass;
  private final Map<String, String> properties;
  private final int port;
  private final Path log;
  private Process process;
  private boolean frozen;

  /**
   * An application, not started yet.
   *
   * @param name its name in logs and messages (the node id)
   * @param mainClass its main class
   * @param properties its Spring properties, given as command-line arguments
   * @param port its HTTP port ({@code server.port})
   */
  public AppProcess(String name, String mainClass, Map<String, String> properties, int port) {
    this.name = name;
    this.mainClass = mainClass;
    this.properties = Map.copyOf(properties);
    this.port = port;
    this.log = E2eSettings.work().resolve("logs").resolve(name + ".log");
  }

  /** Starts the JVM; {@link #awaitUp} waits until it answers. */
  public synchronized AppProcess start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " runs already");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(E2eSettings.jvmOptions());
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(
        E2eSettings.testClasses() + java.io.File.pathSeparator + E2eSettings.appClasspath());
    command.add(mainClass);
    properties.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(entry -> command.add("--" + entry.getKey() + "=" + entry.getValue()));
    frozen = false;
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "---- starting " + name + " ----\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
    return this;
  }

  /** Waits until the application answers HTTP on its port; fails with its log's end if it died. */
  public AppProcess awaitUp() {
    return awaitUp(START_TIMEOUT);
  }

  /**
   * Waits as {@link #awaitUp()} does, at most the given time (a machine shared with other builds
   * may start several applications at once much more slowly).
   */
  public AppProcess awaitUp(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Process running = process;
      if (!running.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + running.exitValue() + " while starting:\n" + logTail());
      }
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200 || response.statusCode() == 503) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      sleep(250);
    }
    throw new IllegalStateException(name + " did not answer within " + within + ":\n" + logTail());
  }

  /**
   * Stops the application as its service manager would (SIGTERM) and waits until it has; a frozen
   * one is resumed first, so that it can.
   */
  public synchronized void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    resume();
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * Kills the JVM with SIGKILL, as a crash or {@code kill -9} does: no shutdown hook runs, nothing
   * is flushed or closed; waits until it is gone.
   */
  public synchronized void kill() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroyForcibly();
    frozen = false;
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Freezes the JVM with SIGSTOP ({@code kill -STOP <pid>}), as a hung host or a paused virtual
   * machine does: nothing in it runs, its timers included, while its sockets stay open and the
   * kernel still accepts connections for it. {@link #resume} lets it go on where it stopped; {@link
   * #stop} resumes it first; {@link #kill} ends it, frozen or not.
   *
   * @throws IllegalStateException if the JVM does not run, or the signal could not be sent
   */
  public synchronized void freeze() {
    if (!alive()) {
      throw new IllegalStateException(name + " does not run: there is nothing to freeze");
    }
    signal("STOP");
    frozen = true;
  }

  /** Lets a JVM frozen by {@link #freeze} run on (SIGCONT); nothing when it is not frozen. */
  public synchronized void resume() {
    if (!frozen) {
      return;
    }
    if (alive()) {
      signal("CONT");
    }
    frozen = false;
  }

  /** Whether the JVM is frozen by {@link #freeze} and not resumed yet. */
  public synchronized boolean frozen() {
    return frozen;
  }

  /** Whether the JVM runs. */
  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** Its base URL on loopback. */
  public String url() {
    return "http://localhost:" + port;
  }

  public String name() {
    return name;
  }

  /** The last lines of its log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Sends the JVM a signal with the system's {@code kill}; waits until it is sent. */
  private void signal(String signal) {
    long pid = process.pid();
    boolean interrupted = false;
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
              .redirectErrorStream(true)
              .start();
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      while (true) {
        try {
          // a resume must not be given up half-way because the thread is told to stop
          if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
            return;
          }
          throw new IllegalStateException(
              "kill -" + signal + " " + pid + " (" + name + ") failed: " + said.trim());
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not send SIG" + signal + " to " + name, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
