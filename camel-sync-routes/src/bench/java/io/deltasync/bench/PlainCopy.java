package io.deltasync.bench;

import io.deltasync.schema.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Table 5's yardstick: the hub's notes copied with plain JDBC into an empty database of the
 * client's kind (a cursor of 1,000 rows, batches of 1,000, a commit each). Run in this JVM, which
 * has long compiled the drivers' and H2's hot code; and in a new JVM with the client's heap, as a
 * copy tool (or the node) starts, whose JIT compiles while it copies.
 */
final class PlainCopy {

  private static final int BATCH = 1_000;
  private static final String COLUMNS = "id, title, body, done, amount, created_at, due_day, data";

  private PlainCopy() {}

  /** Copies in this JVM; returns rows per second. */
  static double inThisJvm(TestDatabase from, TestDatabase to, int rows) throws SQLException {
    long start = System.nanoTime();
    long copied;
    try (Connection source = from.dataSource().getConnection();
        Connection target = to.dataSource().getConnection()) {
      copied = copy(source, target);
    }
    return rate(copied, rows, System.nanoTime() - start);
  }

  /**
   * Copies in a new JVM ({@code java -Xmx<heap>}, this class path), timed from before its first
   * connection to its last commit; returns rows per second. An H2 target must not be open in this
   * process, so that the new one writes it in process.
   */
  static double inNewJvm(TestDatabase from, TestDatabase to, int rows, String heap, Path dir)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PlainCopy.class.getName());
    for (TestDatabase db : List.of(from, to)) {
      command.add(db.jdbcUrl());
      command.add(db.user());
      command.add(db.password());
    }
    Path log = dir.resolve("plain-copy-" + System.nanoTime() + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = process.waitFor();
    String answer = null;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("BENCH copied ")) {
          answer = line;
        }
      }
    }
    if (exit != 0 || answer == null) {
      throw new IllegalStateException("the plain copy in a new JVM failed (" + exit + "): " + log);
    }
    String[] fields = answer.split(" ");
    return rate(Long.parseLong(fields[2]), rows, Long.parseLong(fields[4]));
  }

  /**
   * The copy of a new JVM: {@code <from url> <user> <password> <to url> <user> <password>}; prints
   * {@code BENCH copied <rows> in <nanoseconds>}.
   */
  public static void main(String[] args) throws SQLException {
    long start = System.nanoTime();
    long copied;
    try (Connection source = DriverManager.getConnection(args[0], args[1], args[2]);
        Connection target = DriverManager.getConnection(args[3], args[4], args[5])) {
      copied = copy(source, target);
    }
    System.out.println("BENCH copied " + copied + " in " + (System.nanoTime() - start));
  }

  private static double rate(long copied, int rows, long nanos) {
    if (copied != rows) {
      throw new IllegalStateException("the plain copy read " + copied + " rows, not " + rows);
    }
    return rows / (nanos / 1e9);
  }

  private static long copy(Connection source, Connection target) throws SQLException {
    long copied = 0;
    source.setAutoCommit(false); // a cursor, not the whole result in memory
    target.setAutoCommit(false);
    try (PreparedStatement select =
            source.prepareStatement("SELECT " + COLUMNS + " FROM note ORDER BY id");
        PreparedStatement insert =
            target.prepareStatement(
                "INSERT INTO note (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      select.setFetchSize(BATCH);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          for (int column = 1; column <= 8; column++) {
            insert.setObject(column, row.getObject(column));
          }
          insert.addBatch();
          if (++copied % BATCH == 0) {
            insert.executeBatch();
            target.commit();
          }
        }
      }
      insert.executeBatch();
      target.commit();
    }
    source.commit();
    return copied;
  }
}
