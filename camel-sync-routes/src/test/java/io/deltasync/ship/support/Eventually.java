package io.deltasync.ship.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that asynchronous routes will make true. */
public final class Eventually {

  private Eventually() {}

  /**
   * Polls until the condition holds, or fails after the timeout with the description (evaluated
   * then, so it can show the state that was wrong).
   */
  public static void waitFor(Duration timeout, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + timeout + ": " + state.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /**
   * Checks the condition every 100 ms for the whole duration, for what must not happen while it
   * runs (a pointer that must not move); fails with the description at the first check it fails.
   */
  public static void holdsFor(
      Duration duration, BooleanSupplier condition, Supplier<String> state) {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("stopped holding before " + duration + " passed: " + state.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
