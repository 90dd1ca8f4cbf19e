package io.deltasync.node;

import java.util.function.Consumer;

/**
 * Whether this process is the one that ships and applies for its node.
 *
 * <p>A node may run as several processes over one database (a hub cluster); exactly one of them
 * should poll outboxes and apply deltas at a time. A process alone is always the leader ({@link
 * #ALWAYS}); a cluster implementation elects one. Applying stays safe without it (batches from one
 * sender serialise on their pointer row and deltas are recognised by id), so leadership is about
 * not doing the same work twice, not about correctness. Implementations are thread-safe.
 */
public interface Leadership {

  /** The leadership of a process that is alone: always the leader. */
  Leadership ALWAYS =
      new Leadership() {
        @Override
        public boolean isLeader() {
          return true;
        }

        @Override
        public AutoCloseable onChange(Consumer<Boolean> listener) {
          listener.accept(true);
          return () -> {};
        }
      };

  /** Whether this process leads now. */
  boolean isLeader();

  /**
   * Calls the listener with the current state at once, then with {@code true} each time this
   * process becomes the leader and {@code false} each time it stops being it. Listeners run on a
   * thread of the implementation and must not block.
   *
   * @return closing it removes the listener
   */
  AutoCloseable onChange(Consumer<Boolean> listener);
}
