package io.deltasync.console.demo;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: a hub with the console and two clients in this JVM, on embedded H2,
 * syncing over HTTP while {@link DemoGenerator} edits to-dos and notes on both clients. Prints the
 * console's address and login; Ctrl-C stops everything.
 *
 * <p>The port is {@code --server.port=<n>}, else the environment variable {@code
 * DELTASYNC_DEMO_PORT}, else 8080.
 */
public final class ConsoleDemo {

  private ConsoleDemo() {}

  public static void main(String[] args) throws InterruptedException {
    int port = port(args);
    String run = "demo_" + UUID.randomUUID().toString().substring(0, 8);
    DemoSystem demo =
        DemoSystem.start(
            port,
            DemoSystem.h2(run + "_hub"),
            Map.of("deltasync.cluster.port", 5901, "logging.level.com.hazelcast", "WARN"),
            run);
    DemoGenerator generator = DemoGenerator.start(demo, 400, 150);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("DeltaSync demo: stopping");
                  generator.close();
                  demo.close();
                  System.out.println("DeltaSync demo: stopped");
                  stopped.countDown();
                },
                "deltasync-demo-stop"));
    System.out.println();
    System.out.println("DeltaSync demo: a hub and clients node-a, node-b are syncing.");
    System.out.println(
        "DeltaSync demo console: http://localhost:"
            + demo.port()
            + "  user: admin  password: "
            + demo.password());
    System.out.println("DeltaSync demo: Ctrl-C stops it.");
    stopped.await();
  }

  static int port(String[] args) {
    for (String arg : args) {
      if (arg.startsWith("--server.port=")) {
        return Integer.parseInt(arg.substring("--server.port=".length()));
      }
    }
    String env = System.getenv("DELTASYNC_DEMO_PORT");
    return env == null || env.isBlank() ? 8080 : Integer.parseInt(env.trim());
  }
}
