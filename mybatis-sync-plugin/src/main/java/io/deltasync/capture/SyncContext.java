package io.deltasync.capture;

import java.util.function.Supplier;

/**
 * Suppresses capture for a block of code on the current thread: mutations executed inside it are
 * not recorded, and so never reach other nodes.
 *
 * <pre>{@code
 * SyncContext.suppressed(() -> mapper.deleteExpiredSessions());
 *
 * try (SyncContext.Suppression ignored = SyncContext.suppress()) {
 *   mapper.recalculateLocalStatistics();
 * }
 * }</pre>
 *
 * Blocks nest. With the BATCH executor, what counts is where the statement was issued, not where
 * the batch is flushed.
 */
public final class SyncContext {

  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private SyncContext() {}

  /** Runs the block without capture. */
  public static void suppressed(Runnable block) {
    try (Suppression ignored = suppress()) {
      block.run();
    }
  }

  /** Runs the block without capture and returns its result. */
  public static <T> T suppressed(Supplier<T> block) {
    try (Suppression ignored = suppress()) {
      return block.get();
    }
  }

  /** Suppresses capture until the returned handle is closed; use with try-with-resources. */
  public static Suppression suppress() {
    DEPTH.get()[0]++;
    return new Suppression();
  }

  /** Whether capture is suppressed on the current thread. */
  public static boolean isSuppressed() {
    return DEPTH.get()[0] > 0;
  }

  /** An open suppression; closing it twice has no further effect. */
  public static final class Suppression implements AutoCloseable {
    private boolean closed;

    private Suppression() {}

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        int[] depth = DEPTH.get();
        if (--depth[0] <= 0) {
          DEPTH.remove();
        }
      }
    }
  }
}
