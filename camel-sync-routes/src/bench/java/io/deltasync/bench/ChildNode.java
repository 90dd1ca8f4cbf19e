package io.deltasync.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link NodeProcess} started from the benchmark: {@code java -Xmx<heap>} with this JVM's class
 * path, which exits on an {@link OutOfMemoryError}. Reads the child's peaks of heap as it prints
 * them; everything else it prints goes to a log file.
 */
final class ChildNode implements AutoCloseable {

  private final String name;
  private final Process process;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile long readyAt;
  private volatile long peakAfterGc;
  private volatile long peakUsed;
  private volatile long collections;

  private ChildNode(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(() -> read(log), "child-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a node process with the heap limit (e.g. {@code 256m}) and the node's properties. */
  static ChildNode start(String name, String heap, Map<String, Object> properties, Path dir)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener");
    // e.g. -Dbench.child.jvm=-XX:StartFlightRecording=filename=/tmp/{name}.jfr to profile a node
    String extra = System.getProperty("bench.child.jvm", "").replace("{name}", name);
    for (String option : extra.split(" ")) {
      if (!option.isBlank()) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NodeProcess.class.getName());
    properties.forEach((key, value) -> command.add(key + "=" + value));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ChildNode(name, process, dir.resolve(name + ".log"));
  }

  /** Waits until the node's application started; returns the {@link System#nanoTime()} then. */
  long awaitReady(Duration timeout) throws InterruptedException {
    if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " did not start within " + timeout + "; see its log");
    }
    return readyAt;
  }

  /** Fails if the process ended (an OutOfMemoryError ends it). */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + "; see target/pipeline-bench/" + name);
    }
  }

  /**
   * Waits until the process is idle, as a node in service is between its work: less than 5 % of a
   * core over a second (after its start, the JIT compiles what became hot while it started for many
   * seconds more), or {@code max} at most. Returns the seconds waited.
   */
  double awaitIdle(Duration max) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    long before = cpuNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(1_000);
      long now = cpuNanos();
      if (now - before < 50_000_000L) {
        break;
      }
      before = now;
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** The most heap the process held right after a collection, in MB. */
  double peakAfterGcMb() {
    return peakAfterGc / 1048576.0;
  }

  /** The most heap the process held at any sample, in MB. */
  double peakUsedMb() {
    return peakUsed / 1048576.0;
  }

  long collections() {
    return collections;
  }

  private void read(Path log) {
    try (BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.equals("BENCH ready")) {
          readyAt = System.nanoTime();
          ready.countDown();
        } else if (line.startsWith("BENCH heap ")) {
          for (String field : line.substring("BENCH heap ".length()).split(" ")) {
            String[] pair = field.split("=");
            long value = Long.parseLong(pair[1]);
            switch (pair[0]) {
              case "afterGc" -> peakAfterGc = value;
              case "used" -> peakUsed = value;
              case "collections" -> collections = value;
              default -> {}
            }
          }
        } else {
          out.println(line);
          out.flush();
        }
      }
    } catch (IOException e) {
      // the process ended; checkAlive reports it
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
