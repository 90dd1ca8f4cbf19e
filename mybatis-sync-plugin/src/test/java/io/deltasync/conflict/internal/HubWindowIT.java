package io.deltasync.conflict.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.GrownDsDelta;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hub's conflict window on PostgreSQL with a {@code ds_delta} that grew since it was last
 * analyzed (a hub's first minute, a burst before autovacuum): a client back after a long time
 * offline sends a batch whose basis is far behind, and the window must read the deltas of the
 * batch's rows only, not every delta of the table since that basis.
 */
class HubWindowIT {

  @Test
  void readsTheDeltasOfTheBatchsRowsKeyByKeyWhateverTheStatisticsSayOnPostgres()
      throws SQLException {
    TestDatabase db = TestDatabases.postgres("hub_window").migrate();
    List<Delta> batch = batch();
    try (Connection connection = db.dataSource().getConnection()) {
      GrownDsDelta.fillWithoutAnalyzing(connection, 50_000);

      connection.setAutoCommit(false);
      HubWindow window = HubWindow.of(connection, batch);
      long[] read = GrownDsDelta.reads(connection);
      List<Delta> missed = window.missedBy(batch.get(99), 10);
      boolean clear = window.clear(batch.get(0));
      connection.rollback();

      assertThat(read[0] + read[1])
          .as("rows of ds_delta read for a batch of %d rows", batch.size())
          .isLessThan(batch.size());
      assertThat(missed).extracting(Delta::id).containsExactly("known-100");
      assertThat(clear).isTrue();
    } finally {
      db.close();
    }
  }

  /**
   * After a purge emptied {@code ds_delta} and vacuum found it so: the window's read of the table's
   * multi-row deltas, prepared on the server while the table was empty, kept a plan that scanned
   * the whole table for every batch once it grew again.
   */
  @Test
  void readsTheBatchsRowsKeyByKeyAfterAPurgeEmptiedDsDeltaOnPostgres() throws SQLException {
    TestDatabase db = TestDatabases.postgres("hub_window_purged").migrate();
    List<Delta> batch = batch();
    try (Connection connection = db.dataSource().getConnection()) {
      GrownDsDelta.fillWithoutAnalyzing(connection, 1_000);
      db.execute("DELETE FROM ds_delta", "VACUUM ds_delta"); // the purge, then autovacuum
      for (int run = 0; run < 10; run++) { // past pgjdbc's and PostgreSQL's thresholds
        HubWindow.of(connection, batch);
      }
      GrownDsDelta.fillWithoutAnalyzing(connection, 50_000);

      connection.setAutoCommit(false);
      HubWindow window = HubWindow.of(connection, batch);
      long[] read = GrownDsDelta.reads(connection);
      List<Delta> missed = window.missedBy(batch.get(99), 10);
      connection.rollback();

      assertThat(read[0]).as("rows of ds_delta read by a table scan").isZero();
      assertThat(read[1]).as("rows of ds_delta read by an index").isLessThan(batch.size());
      assertThat(missed).extracting(Delta::id).containsExactly("known-100");
    } finally {
      db.close();
    }
  }

  /**
   * 488 updates by node-b: of notes 100, 200, 300 and 400, which the hub has deltas of, and others.
   */
  private static List<Delta> batch() {
    List<Delta> batch = new ArrayList<>();
    for (int n = 1; n <= 488; n++) {
      batch.add(update(n % 100 == 0 ? n : 1_000_000 + n));
    }
    return batch;
  }

  /** node-b's UPDATE of note row {@code id}, written on a basis of 0: it saw none of the hub's. */
  private static Delta update(long id) {
    return new Delta(
        DeltaIds.next(),
        "node-b",
        0,
        DeltaIds.next(),
        1L << 16,
        0,
        "test.NoteMapper.update",
        Kind.UPDATE,
        "note",
        RowKey.of(Map.of("id", String.valueOf(id))),
        "UPDATE note SET title = ? WHERE id = ?",
        List.of(new Param(ParamType.STRING, "b"), new Param(ParamType.LONG, id)));
  }
}
