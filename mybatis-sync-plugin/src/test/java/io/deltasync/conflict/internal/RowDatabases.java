package io.deltasync.conflict.internal;

import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The databases row-image tests read from and write to, seeded notes, and transactions. */
final class RowDatabases {

  static final List<String> KINDS = List.of("h2", "postgresql", "mariadb");

  /** Work on one connection inside a transaction. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private RowDatabases() {}

  /** Every (from, to) pair of database kinds, same kind included. */
  static Stream<Arguments> pairs() {
    return KINDS.stream().flatMap(from -> KINDS.stream().map(to -> Arguments.of(from, to)));
  }

  /** A fresh, empty database of the kind. */
  static TestDatabase fresh(String kind, String name) {
    return switch (kind) {
      case "h2" -> TestDatabases.h2(name);
      case "postgresql" -> TestDatabases.postgres(name);
      default -> TestDatabases.mariadb(name);
    };
  }

  /** A fresh database of the kind with the notes tables and {@code note_tag (note_id, tag)}. */
  static TestDatabase notesDatabase(String kind, String name) {
    TestDatabase db = fresh(kind, name);
    NotesSchema.install(db)
        .execute(
            "CREATE TABLE note_tag (note_id BIGINT NOT NULL, tag VARCHAR(50) NOT NULL,"
                + " PRIMARY KEY (note_id, tag))");
    return db;
  }

  /**
   * Inserts notes {@code base + 1} (every value set), {@code base + 2} (nulls where allowed) and
   * {@code base + 3} (negative amount, empty bytes) with plain JDBC.
   */
  static TestDatabase seed(TestDatabase db, long base) throws SQLException {
    return inTransaction(
        db,
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO note (id, title, body, done, amount, created_at, due_day, data)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insertNote(
                insert,
                base + 1,
                "Ünïcödé 🚀 'quoted'",
                "body",
                true,
                "1234.56",
                LocalDateTime.of(2026, 1, 2, 3, 4, 5, 678_000_000),
                LocalDate.of(2026, 2, 28),
                new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
            insertNote(insert, base + 2, "nulls", null, false, "0", null, null, null);
            insertNote(insert, base + 3, "negative", "", false, "-5.25", null, null, new byte[0]);
          }
          return db;
        });
  }

  private static void insertNote(
      PreparedStatement insert,
      long id,
      String title,
      String body,
      boolean done,
      String amount,
      LocalDateTime createdAt,
      LocalDate dueDay,
      byte[] data)
      throws SQLException {
    insert.setLong(1, id);
    insert.setString(2, title);
    insert.setString(3, body);
    insert.setBoolean(4, done);
    insert.setBigDecimal(5, new BigDecimal(amount));
    insert.setObject(6, createdAt, Types.TIMESTAMP);
    insert.setObject(7, dueDay, Types.DATE);
    insert.setBytes(8, data);
    insert.executeUpdate();
  }

  /** The dump lines of the notes with ids {@code base + 1 .. base + 9}. */
  static List<String> notes(TestDatabase db, long base) {
    return NotesSchema.notes(db.dataSource()).stream()
        .filter(line -> Long.parseLong(line.substring(0, line.indexOf('|'))) / 10 == base / 10)
        .toList();
  }

  /** A note's key. */
  static List<Param> noteKey(long id) {
    return List.of(new Param(ParamType.LONG, id));
  }

  /** Runs the work on one connection with auto-commit off, then commits; rolls back on failure. */
  static <T> T inTransaction(TestDatabase db, Work<T> work) throws SQLException {
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }
}
