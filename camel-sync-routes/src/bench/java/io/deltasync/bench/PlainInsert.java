package io.deltasync.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import javax.sql.DataSource;

/**
 * The yardstick: the same note rows inserted with plain JDBC batches (no MyBatis, no capture), a
 * commit every {@link #ROWS_PER_COMMIT} rows, as the pipeline's applier takes a batch of up to 500
 * deltas in one transaction.
 */
final class PlainInsert {

  static final int ROWS_PER_COMMIT = 500;

  private PlainInsert() {}

  /** Inserts rows {@code first .. first + rows - 1}, then deletes them; returns rows per second. */
  static double rate(DataSource db, long first, int rows) throws SQLException {
    long nanos;
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO note (id, title, body, done, amount, created_at, due_day, data)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        long start = System.nanoTime();
        for (int i = 0; i < rows; i++) {
          insert.setLong(1, first + i);
          insert.setString(2, Notes.TITLE);
          insert.setNull(3, Types.VARCHAR);
          insert.setBoolean(4, false);
          insert.setBigDecimal(5, BigDecimal.ZERO.setScale(2));
          insert.setNull(6, Types.TIMESTAMP);
          insert.setNull(7, Types.DATE);
          insert.setNull(8, Types.VARBINARY);
          insert.addBatch();
          if ((i + 1) % ROWS_PER_COMMIT == 0 || i == rows - 1) {
            insert.executeBatch();
            connection.commit();
          }
        }
        nanos = System.nanoTime() - start;
      }
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM note WHERE id BETWEEN ? AND ?")) {
        delete.setLong(1, first);
        delete.setLong(2, first + rows - 1);
        if (delete.executeUpdate() != rows) {
          throw new IllegalStateException("the plain insert did not leave " + rows + " rows");
        }
        connection.commit();
      }
    }
    return rows / (nanos / 1e9);
  }
}
