package io.deltasync.testing;

import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.RowKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A PostgreSQL {@code ds_delta} that grew since autovacuum last analyzed it (a hub's first minute,
 * a burst of deltas), and what a transaction read of it: for tests of query plans under stale
 * statistics.
 */
public final class GrownDsDelta {

  private GrownDsDelta() {}

  /**
   * Inserts deltas 1 to {@code count} from node-a, on note rows 1 to {@code count}, ids known-n.
   */
  public static void fillWithoutAnalyzing(Connection connection, int count) throws SQLException {
    String[] key = DeltaCodec.encodeRowKey(RowKey.of(Map.of("id", "7"))).split("7", -1);
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO ds_delta (seq, delta_id, origin, received_from, source_seq, tx_id,"
              + " captured_at, basis, statement_id, kind, table_name, row_key, sql_text, params,"
              + " stored_at) SELECT n, 'known-' || n, 'node-a', 'node-a', n, 'tx-' || n, 0, 0,"
              + " 'save', 'INSERT', 'note', '"
              + key[0]
              + "' || n || '"
              + key[1]
              + "', 'INSERT INTO note (id) VALUES (?)', '[]', now()"
              + " FROM generate_series(1, "
              + count
              + ") AS n");
    }
  }

  /** Rows of {@code ds_delta} this transaction read: {table scans, index scans}. */
  public static long[] reads(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT seq_tup_read, idx_tup_fetch FROM pg_stat_xact_user_tables"
                    + " WHERE relname = 'ds_delta'")) {
      row.next();
      return new long[] {row.getLong(1), row.getLong(2)};
    }
  }
}
