package io.deltasync.capture.internal;

import io.deltasync.capture.DeltaCaptureException;
import io.deltasync.delta.Delta;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.ibatis.transaction.Transaction;

/**
 * What one capture knows of its transaction's savepoints: for each open savepoint, how many deltas
 * were staged when it was set, so that a rollback to it drops the deltas staged since.
 *
 * <p>It hears of savepoints from the {@link ObservedConnection} the statements run on (a data
 * source DeltaSync observes, as in Spring Boot) or, with plain MyBatis, from the connection the
 * session hands out ({@code sqlSession.getConnection()}), which {@link #observe} wraps. A BATCH
 * executor's queued statements run only when flushed, so their deltas are staged then: a rollback
 * to a savepoint undoes them exactly when they were flushed after it was set. Not thread-safe, like
 * its session.
 */
final class Savepoints {

  private record Mark(Savepoint savepoint, int staged) {}

  private final List<Delta> staged;
  private final Consumer<DeltaCaptureException> lost;
  private final List<Mark> marks = new ArrayList<>();

  /** The connection statements last ran on, to make {@link #watch} cheap when it is the same. */
  private Connection watched;

  /** The session's own connection and the observed one handed out for it (plain MyBatis). */
  private Connection handedOut;

  private Connection observedHandedOut;
  private Transaction transaction;
  private Transaction observedTransaction;

  /**
   * @param staged the capture's deltas waiting for the commit, which rollbacks shorten
   * @param lost told when the capture can no longer tell which of its deltas were undone
   */
  Savepoints(List<Delta> staged, Consumer<DeltaCaptureException> lost) {
    this.staged = staged;
    this.lost = lost;
  }

  /** Follows the savepoints of the connection the session's statements run on, if observed. */
  void watch(Connection connection) {
    if (connection != watched) {
      watched = connection;
      if (ObservedConnection.isObserved(connection)) {
        ObservedConnection.watch(connection, this);
      }
    }
  }

  /**
   * The session's transaction, handing out its connection observed, so that savepoints the
   * application sets on {@code sqlSession.getConnection()} are followed.
   */
  Transaction observe(Transaction session) {
    if (session != transaction) {
      transaction = session;
      observedTransaction = new ObservedTransaction(session);
    }
    return observedTransaction;
  }

  /** The transaction ended (commit, rollback or close of the session): no savepoint is open. */
  void clear() {
    marks.clear();
    if (observedHandedOut != null) {
      ObservedConnection.transactionEnded(observedHandedOut);
    }
  }

  // --- told by the observed connection

  void following(List<Savepoint> open) {
    for (Savepoint savepoint : open) {
      marks.add(new Mark(savepoint, staged.size()));
    }
  }

  void set(Savepoint savepoint) {
    marks.add(new Mark(savepoint, staged.size()));
  }

  void rolledBackTo(Savepoint savepoint) {
    int at = indexOf(savepoint);
    if (at < 0) {
      unknownRollback();
      return;
    }
    int mark = marks.get(at).staged();
    if (mark > staged.size()) {
      // deltas staged before the savepoint were written after it, and the rollback undid them
      lost.accept(
          new DeltaCaptureException(
              "a rollback to a savepoint undid deltas written to ds_delta after the savepoint was"
                  + " set, of statements that ran before it"));
    } else {
      staged.subList(mark, staged.size()).clear();
    }
    marks.subList(at + 1, marks.size()).clear();
  }

  void released(Savepoint savepoint) {
    int at = indexOf(savepoint);
    if (at >= 0) {
      marks.subList(at, marks.size()).clear();
    }
  }

  void ended(boolean rolledBack) {
    marks.clear();
    if (rolledBack) {
      staged.clear(); // rolled back on the connection, behind MyBatis's back
    }
  }

  void unknownRollback() {
    lost.accept(
        new DeltaCaptureException(
            "the connection was rolled back to a savepoint DeltaSync did not see being set (set on"
                + " the connection a pool or proxy wraps?), so it cannot tell which recorded"
                + " statements were undone"));
  }

  private int indexOf(Savepoint savepoint) {
    for (int i = marks.size() - 1; i >= 0; i--) {
      if (marks.get(i).savepoint() == savepoint) {
        return i;
      }
    }
    return -1;
  }

  private Connection observed(Connection connection) {
    if (ObservedConnection.isObserved(connection)) {
      watch(connection);
      return connection;
    }
    if (connection != handedOut) {
      handedOut = connection;
      observedHandedOut = ObservedConnection.wrap(connection);
      ObservedConnection.watch(observedHandedOut, this);
    }
    return observedHandedOut;
  }

  /** The session's transaction, handing out its connection observed. */
  private final class ObservedTransaction implements Transaction {

    private final Transaction target;

    ObservedTransaction(Transaction target) {
      this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return observed(target.getConnection());
    }

    @Override
    public void commit() throws SQLException {
      target.commit();
    }

    @Override
    public void rollback() throws SQLException {
      target.rollback();
    }

    @Override
    public void close() throws SQLException {
      target.close();
    }

    @Override
    public Integer getTimeout() throws SQLException {
      return target.getTimeout();
    }
  }
}
