package io.deltasync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the whole pipeline sustains: throughput per transport (table 1), latency at fixed loads
 * (table 2), a client's backlog drained after it was offline (table 3), and many clients pushing at
 * once to one hub (table 4). Nodes run in this JVM as Spring Boot applications on a PostgreSQL hub
 * and H2 or PostgreSQL clients, over real HTTP on loopback, an embedded Artemis broker and a real
 * drop folder; table 3 runs the hub and the client as separate processes, to see their heaps.
 *
 * <p>Run with {@code ./run-benchmark.sh pipeline [quick|full]}. Arguments: {@code quick} or {@code
 * full}, then optionally the tables ({@code throughput,latency,backlog,fanin,load}). System
 * properties {@code bench.transport} ({@code http}, {@code jms} or {@code files}), {@code
 * bench.clients} ({@code h2}, {@code postgresql}), {@code bench.backlog} (deltas) and {@code
 * bench.load} (rows) and {@code bench.load.rounds} narrow a run while developing.
 */
public final class PipelineBenchmark {

  private PipelineBenchmark() {}

  public static void main(String[] args) {
    try {
      Mode mode = Mode.of(args.length > 0 ? args[0] : "quick");
      List<String> tables =
          List.of((args.length > 1 ? args[1] : "throughput,latency,backlog,fanin,load").split(","));
      measure(mode, tables);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1); // broker and web server threads would keep the JVM alive
    }
    System.exit(0);
  }

  private static void measure(Mode mode, List<String> tables) throws Exception {
    Map<String, List<String>> printed = new LinkedHashMap<>();
    Path dir = Files.createDirectories(Path.of("target", "pipeline-bench"));
    if (tables.contains("throughput") || tables.contains("latency")) {
      throughputAndLatency(mode, tables, dir, printed);
    }
    if (tables.contains("backlog")) {
      printed.put(
          "3. Backlog: client B offline while deltas pile up for it at the hub, then back; hub and B"
              + " in processes of their own with -Xmx"
              + BacklogTable.HEAP
              + ", HTTP, PostgreSQL; one run:\n\n"
              + BacklogTable.HEADER,
          List.of(BacklogTable.measure(Integer.getInteger("bench.backlog", mode.backlog), dir)));
    }
    if (tables.contains("fanin")) {
      printed.put(
          "4. Fan-in: clients pushing at once to one PostgreSQL hub over HTTP, batches of "
              + FanInTable.BATCH_SIZE
              + " deltas, medians of "
              + mode.fanInRounds
              + " rounds (min–max); sessions, threads and CPU are means over samples every "
              + HubSampler.PERIOD_MILLIS
              + " ms:\n\n"
              + FanInTable.HEADER,
          FanInTable.measure(
              new int[] {1, 10, 50}, mode.fanInDeltasPerClient, mode.fanInRounds, dir));
    }
    if (tables.contains("load")) {
      int loadRounds = Integer.getInteger("bench.load.rounds", mode.loadRounds);
      printed.put(
          "5. Initial load: a new client loads a PostgreSQL hub's rows over HTTP; hub and client in"
              + " processes of their own with -Xmx"
              + BacklogTable.HEAP
              + "; medians of "
              + loadRounds
              + " rounds (min–max), a new client and new copies each; ratio = median ÷ median;"
              + " heap the most of any round:\n\n"
              + LoadTable.HEADER,
          LoadTable.measure(
              Integer.getInteger("bench.load", mode.loadRows),
              List.of(System.getProperty("bench.clients", "h2,postgresql").split(",")),
              loadRounds,
              dir));
    }
    for (Map.Entry<String, List<String>> table : printed.entrySet()) {
      if (!table.getValue().isEmpty()) {
        System.out.printf("%n%s%n", table.getKey());
        table.getValue().forEach(System.out::println);
      }
    }
    if (!Targets.lines().isEmpty()) {
      System.out.printf("%nTargets:%n%n");
      Targets.lines().forEach(System.out::println);
    }
  }

  /**
   * Tables 1 and 2: one three-node pipeline per transport and client database, started once for
   * both tables (latency on the H2 clients only).
   */
  private static void throughputAndLatency(
      Mode mode, List<String> tables, Path dir, Map<String, List<String>> printed)
      throws Exception {
    List<String> throughput = new ArrayList<>();
    List<String> latency = new ArrayList<>();
    String onlyTransport = System.getProperty("bench.transport");
    List<String> clientKinds =
        List.of(System.getProperty("bench.clients", "h2,postgresql").split(","));
    for (Transport transport : Transport.values()) {
      if (onlyTransport != null && !onlyTransport.equalsIgnoreCase(transport.name())) {
        continue;
      }
      for (String clients : clientKinds) {
        boolean latencyHere = tables.contains("latency") && clients.equals("h2");
        if (!tables.contains("throughput") && !latencyHere) {
          continue;
        }
        Path work = Files.createTempDirectory(dir, transport.name().toLowerCase() + "-");
        Progress.say("pipeline: %s, %s clients", transport.label, clients);
        try (Pipeline pipeline = Pipeline.start(transport, clients, work)) {
          if (tables.contains("throughput")) {
            throughput.addAll(ThroughputTable.measure(pipeline, mode.workloads, mode.rounds));
          }
          if (latencyHere) {
            latency.addAll(
                LatencyTable.measure(
                    pipeline, new int[] {100, 1_000}, mode.latencyLength, mode.latencyRounds));
          }
        }
      }
    }
    printed.put(
        "1. Throughput, medians of "
            + mode.rounds
            + " rounds (min–max); ratio = median rate ÷ median plain rate:\n\n"
            + ThroughputTable.HEADER,
        throughput);
    printed.put(
        "2. Latency from commit on A to visible on B, H2 clients, "
            + mode.latencyLength.toSeconds()
            + " s per round, medians of "
            + mode.latencyRounds
            + " rounds (min–max):\n\n"
            + LatencyTable.HEADER,
        latency);
  }

  /** How long and how often each table measures. */
  private record Mode(
      int rounds,
      List<ThroughputTable.Workload> workloads,
      Duration latencyLength,
      int latencyRounds,
      int backlog,
      int fanInDeltasPerClient,
      int fanInRounds,
      int loadRows,
      int loadRounds) {

    static Mode of(String name) {
      return switch (name) {
        case "quick" ->
            new Mode(
                3,
                List.of(
                    new ThroughputTable.Workload(1, 1_000), new ThroughputTable.Workload(100, 30)),
                Duration.ofSeconds(3),
                2,
                50_000,
                200,
                2,
                50_000,
                3);
        case "full" ->
            new Mode(
                7,
                List.of(
                    new ThroughputTable.Workload(1, 5_000), new ThroughputTable.Workload(100, 200)),
                Duration.ofSeconds(20),
                5,
                1_000_000,
                2_000,
                5,
                1_000_000,
                3);
        default -> throw new IllegalArgumentException("mode must be quick or full, not " + name);
      };
    }
  }
}
