package io.deltasync.capture.internal;

import io.deltasync.store.DeltaSignal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Raises the node's {@link DeltaSignal} once a transaction that stored deltas has committed, so
 * that its outbox ships them at once. Called by capture on every commit that wrote deltas, so it
 * stays cheap: a map lookup and {@link DeltaSignal#raise}, which locks nothing unless someone waits
 * (in a Spring-managed transaction, one shared synchronization is registered instead).
 *
 * <p>Where capture's session does not own the commit (a Spring-managed transaction), the signal is
 * raised from the transaction's {@code afterCommit}, when Spring synchronizes it; otherwise (a
 * container's transaction) as soon as the session's part is done, which may be early: the waiters'
 * next poll then finds the deltas.
 */
final class CommitWake {

  private static final boolean SPRING =
      present("org.springframework.transaction.support.TransactionSynchronizationManager");

  private CommitWake() {}

  /**
   * The transaction that stored the node's deltas is over.
   *
   * @param committed whether it is committed already (the session committed it itself); else it
   *     commits when its owner says so
   */
  static void deltasWritten(String nodeId, boolean committed) {
    if (committed || !SPRING || !SpringCommits.raiseAfterCommit(nodeId)) {
      DeltaSignal.of(nodeId).raise();
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, CommitWake.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Spring's transactions, kept apart so that plain MyBatis needs no Spring class. */
  private static final class SpringCommits {

    /** One synchronization per node: registering it twice in a transaction keeps one. */
    private static final Map<String, TransactionSynchronization> RAISES = new ConcurrentHashMap<>();

    static boolean raiseAfterCommit(String nodeId) {
      if (!TransactionSynchronizationManager.isSynchronizationActive()) {
        return false;
      }
      TransactionSynchronization raise = RAISES.get(nodeId);
      if (raise == null) {
        DeltaSignal signal = DeltaSignal.of(nodeId);
        raise =
            RAISES.computeIfAbsent(
                nodeId,
                id ->
                    new TransactionSynchronization() {
                      @Override
                      public void afterCommit() {
                        signal.raise();
                      }
                    });
      }
      TransactionSynchronizationManager.registerSynchronization(raise);
      return true;
    }
  }
}
