package io.deltasync.cluster;

import io.deltasync.schema.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A hub member running {@link ForkedHubMemberMain} in a JVM of its own, started from this JVM's
 * class path: its output is echoed here, and its report lines kept with the time they arrived.
 * Closing it kills the process; the process also exits by itself when this JVM is gone.
 */
final class ForkedHubMember implements AutoCloseable {

  /** A report line of the member and when ({@link System#nanoTime()}) it arrived here. */
  record Report(String line, long receivedAt) {}

  private static final List<String> HAZELCAST_FLAGS =
      List.of(
          "--add-modules",
          "java.se",
          "--add-exports",
          "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang=ALL-UNNAMED",
          "--add-opens",
          "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens",
          "java.management/sun.management=ALL-UNNAMED",
          "--add-opens",
          "jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "-Dhazelcast.logging.type=slf4j",
          "-Dhazelcast.phone.home.enabled=false");

  private final Process process;
  private final List<Report> reports = new CopyOnWriteArrayList<>();

  private ForkedHubMember(Process process, String name) {
    this.process = process;
    Thread reader = new Thread(this::read, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a member of the cluster for the hub's database, serving the clients.
   *
   * @param clients node id to database, on a server the new process reaches
   */
  static ForkedHubMember start(
      String name,
      TestCluster cluster,
      Duration failoverTimeout,
      TestDatabase hub,
      Map<String, TestDatabase> clients) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(HAZELCAST_FLAGS);
    String logback = System.getProperty("logback.configurationFile");
    if (logback != null) {
      command.add("-Dlogback.configurationFile=" + logback);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(ForkedHubMemberMain.class.getName());
    command.addAll(
        List.of(
            cluster.clusterName(),
            Integer.toString(cluster.basePort()),
            Integer.toString(cluster.ports()),
            Long.toString(failoverTimeout.getSeconds()),
            hub.jdbcUrl(),
            hub.user(),
            hub.password()));
    clients.forEach((nodeId, db) -> command.add(nodeId + "=" + db.jdbcUrl()));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      return new ForkedHubMember(process, name);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + String.join(" ", command), e);
    }
  }

  /** The operating system's id of the member's process. */
  long pid() {
    return process.pid();
  }

  /** Sends the process a signal ({@code STOP}, {@code CONT}) with {@code kill}. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  /** Waits for the first report line after {@code since} that matches, and returns it. */
  Report await(Predicate<String> line, long since, Duration atMost) {
    return Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> find(line, since), report -> report != null);
  }

  /** The report lines that arrived after {@code since} ({@link System#nanoTime()}). */
  List<Report> reportsAfter(long since) {
    return reports.stream().filter(report -> report.receivedAt() - since > 0).toList();
  }

  private Report find(Predicate<String> line, long since) {
    if (!process.isAlive()) {
      throw new IllegalStateException("the member's process exited: " + process.exitValue());
    }
    return reportsAfter(since).stream()
        .filter(report -> line.test(report.line()))
        .findFirst()
        .orElse(null);
  }

  private void read() {
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = output.readLine()) != null) {
        long now = System.nanoTime();
        if (!line.startsWith(ForkedHubMemberMain.PREFIX)) {
          System.out.println("[forked member] " + line);
          continue;
        }
        String report = line.substring(ForkedHubMemberMain.PREFIX.length());
        if (!report.startsWith("batches")) {
          System.out.println("[forked member] " + line);
        }
        reports.add(new Report(report, now));
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  /** Kills the process (frozen or not) and waits for it to end. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
