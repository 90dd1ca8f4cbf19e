package io.deltasync.console.support;

import io.deltasync.console.demo.DemoSystem;
import java.util.Map;

/**
 * One H2 hub with its clients for the test classes that only read (pages, security), started on
 * first use and stopped when the test JVM exits, so that they pay for one start between them. Page
 * size 5, so that paging shows with few deltas.
 */
public final class SharedHub {

  private static TestHub hub;

  private SharedHub() {}

  /** The shared hub, started if needed. */
  public static synchronized TestHub get() {
    if (hub == null) {
      hub =
          TestHub.start(
              "shared",
              DemoSystem.h2("shared_hub"),
              5962,
              Map.of("deltasync.console.page-size", 5));
      TestHub started = hub;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-shared-hub"));
    }
    return hub;
  }
}
