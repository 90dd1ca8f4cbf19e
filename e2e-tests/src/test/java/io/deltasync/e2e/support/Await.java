package io.deltasync.e2e.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what the system does by itself (sync is asynchronous), with a clear failure. */
public final class Await {

  /** Long enough for a change to travel client, hub, client on a busy two-core machine. */
  public static final Duration SYNC = Duration.ofSeconds(60);

  private Await() {}

  /** Waits until the condition holds, or fails naming what was awaited. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, SYNC, condition);
  }

  /** Waits until the condition holds within the time, or fails naming what was awaited. */
  public static void until(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      AppProcess.sleep(200);
    }
  }
}
