package io.deltasync.apply;

import io.deltasync.conflict.internal.Dialect;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

/**
 * The database sessions in which appliers apply, named so that another process of the same node can
 * end them. On PostgreSQL each applier transaction carries, for that transaction only, the {@code
 * application_name} {@code deltasync-apply <process>}, {@code <process>} being random per JVM.
 *
 * <p>A hub member that takes over from one that stopped answering (frozen, or cut off from the
 * others but not from the database) calls {@link #endOthers}: the database ends every session in
 * which another process is applying to this database. The row locks a frozen leader held (the
 * sender's pointer row, the seq lock) go at once, however it froze (idle between statements, or
 * half-way through sending one, where no idle limit of the database applies); its transaction is
 * rolled back, so nothing it was applying counts, and if it ever runs again its connection is gone.
 * Other databases: nothing is ended, and an idle limit (see the applier's statement timeout) is the
 * only bound.
 */
public final class ApplierSessions {

  private static final String PREFIX = "deltasync-apply ";

  private static final String PROCESS = randomHex(6);

  private ApplierSessions() {}

  /** The {@code application_name} of this process's applier transactions. */
  public static String name() {
    return PREFIX + PROCESS;
  }

  /**
   * Ends the sessions of the database in which another process's applier is inside a transaction;
   * returns their process ids (empty on a database other than PostgreSQL). Needs the right to
   * signal those sessions (the same database user, or {@code pg_signal_backend}).
   */
  public static List<Integer> endOthers(DataSource dataSource) throws SQLException {
    List<Integer> ended = new ArrayList<>();
    try (Connection connection = dataSource.getConnection()) {
      if (Dialect.of(connection) != Dialect.POSTGRESQL) {
        return ended;
      }
      try (PreparedStatement end =
          connection.prepareStatement(
              "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                  + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                  + " AND application_name LIKE ? AND application_name <> ?")) {
        end.setString(1, PREFIX + "%");
        end.setString(2, name());
        try (ResultSet rows = end.executeQuery()) {
          while (rows.next()) {
            if (rows.getBoolean(2)) {
              ended.add(rows.getInt(1));
            }
          }
        }
      }
    }
    return ended;
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
