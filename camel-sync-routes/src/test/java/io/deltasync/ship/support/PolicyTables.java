package io.deltasync.ship.support;

import io.deltasync.schema.TestDatabase;
import io.deltasync.testing.NotesSchema;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The application tables of the conflict tests: one per resolution policy, all of the same shape
 * {@code (id BIGINT PRIMARY KEY, title VARCHAR(100) NOT NULL, n INT NOT NULL, note VARCHAR(100))},
 * so that one workload and one dump serve them all.
 */
public final class PolicyTables {

  /** Resolved by {@code server-wins}. */
  public static final String SERVER = "cf_server";

  /** Resolved by {@code client-wins}. */
  public static final String CLIENT = "cf_client";

  /** Resolved by {@code last-writer-wins}. */
  public static final String LWW = "cf_lww";

  /** Parked for an administrator ({@code manual}). */
  public static final String MANUAL = "cf_manual";

  /** Resolved by a custom resolver. */
  public static final String CUSTOM = "cf_custom";

  /** Every table, in a fixed order (the workload draws from it by index). */
  public static final List<String> ALL = List.of(SERVER, CLIENT, LWW, MANUAL, CUSTOM);

  private PolicyTables() {}

  /** Creates the tables on the database; the same DDL runs on H2, PostgreSQL and MariaDB. */
  public static void install(TestDatabase db) {
    for (String table : ALL) {
      db.execute(
          "CREATE TABLE "
              + table
              + " (id BIGINT PRIMARY KEY, title VARCHAR(100) NOT NULL, n INT NOT NULL,"
              + " note VARCHAR(100))");
    }
  }

  /** Every row of the table ordered by id, one line per row: {@code id|title|n|note}. */
  public static List<String> dump(DataSource dataSource, String table) {
    List<String> rows = new ArrayList<>();
    NotesSchema.query(
        dataSource,
        "SELECT id, title, n, note FROM " + table + " ORDER BY id",
        row ->
            rows.add(
                row.getLong(1)
                    + "|"
                    + row.getString(2)
                    + "|"
                    + row.getInt(3)
                    + "|"
                    + row.getString(4)));
    return rows;
  }
}
