package io.deltasync.store.internal;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.Kind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The SQL of {@code ds_delta}: the one place that writes and reads its rows. */
public final class DeltaRows {

  /** The columns {@link #read(ResultSet)} expects, in a SELECT list. */
  public static final String COLUMNS =
      "seq, delta_id, origin, tx_id, captured_at, basis, statement_id, kind, table_name, row_key,"
          + " sql_text, params";

  /**
   * The condition that a delta is sent to a peer (two parameters, the peer twice): neither
   * originated by the peer nor received from it.
   */
  public static final String SENT_TO_PEER =
      "origin <> ? AND (received_from IS NULL OR received_from <> ?)";

  static final String INSERT_COLUMNS =
      "INSERT INTO ds_delta (delta_id, origin, received_from, source_seq, tx_id, captured_at,"
          + " basis, statement_id, kind, table_name, row_key, sql_text, params, stored_at)";

  /**
   * A captured delta's basis, read by the insert itself (two parameters: node, upstream): the
   * node's {@code lastProcessed} from its upstream as the transaction sees it, 0 before the first
   * pull. Reading it in the statement costs no round trip of its own.
   */
  private static final String BASIS_FROM_POINTER =
      "COALESCE((SELECT last_processed FROM ds_node_pointer WHERE node_id = ? AND peer_id = ?), 0)";

  /**
   * The value list of one row: 14 parameters in {@link #INSERT_COLUMNS} order, or 15 when the basis
   * is read from the pointer; {@code select} casts the timestamp for an {@code INSERT ... SELECT},
   * whose parameters take no type from the target columns.
   */
  static String values(boolean basisFromPointer, boolean select) {
    return "?, ?, ?, ?, ?, ?, "
        + (basisFromPointer ? BASIS_FROM_POINTER : "?")
        + ", ?, ?, ?, ?, ?, ?, "
        + (select ? "CAST(? AS TIMESTAMP)" : "?");
  }

  /**
   * The insert of one row for a database other than PostgreSQL (which inserts through {@link
   * PostgresDeltaInsert}): on H2 it takes the seq lock itself, in one call; elsewhere (MariaDB,
   * MySQL) a plain insert that a {@code SELECT ... FOR UPDATE} must precede (see {@link
   * #locksInInsert}). H2: the insert's own SELECT locks the row, before the row and its identity
   * value are made.
   */
  private static String insertSql(Dialect dialect, boolean basisFromPointer) {
    return switch (dialect) {
      case POSTGRESQL -> throw new IllegalArgumentException("PostgreSQL: see PostgresDeltaInsert");
      case H2 ->
          INSERT_COLUMNS
              + " SELECT "
              + values(basisFromPointer, true)
              + " FROM ds_lock WHERE name = 'ds_delta' FOR UPDATE";
      case OTHER -> INSERT_COLUMNS + " VALUES (" + values(basisFromPointer, false) + ")";
    };
  }

  /** The databases whose delta insert differs. */
  enum Dialect {
    POSTGRESQL,
    H2,
    OTHER;

    static Dialect of(Connection connection) throws SQLException {
      String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("postgresql")) {
        return POSTGRESQL;
      }
      return product.equals("h2") ? H2 : OTHER;
    }
  }

  /** Rows per multi-row insert on MariaDB and MySQL: 896 parameters a statement. */
  private static final int ROWS_PER_INSERT = 64;

  /** Whether the database takes many rows in one {@code INSERT ... VALUES}: MariaDB, MySQL. */
  private static boolean multiRowValues(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    return product.contains("mariadb") || product.contains("mysql");
  }

  private DeltaRows() {}

  /**
   * Inserts deltas in one JDBC batch on the caller's connection and transaction, which must not be
   * in auto-commit mode.
   *
   * <p>Before any seq is drawn it locks the {@code ds_delta} row of {@code ds_lock} until the
   * transaction ends: on PostgreSQL and H2 within the insert itself (one statement, so one round
   * trip on a network database), elsewhere with a {@code SELECT ... FOR UPDATE} first. The lock
   * makes writers allocate seqs one transaction after the other, in commit order: a reader that
   * sees a seq then sees every lower seq that will ever exist, and can skip gaps (rollbacks, a
   * database's pre-allocated auto-increment values) at once. The row is never updated, so
   * transactions at REPEATABLE READ or SERIALIZABLE do not conflict on it.
   *
   * @param receivedFrom the peer that delivered them, or null for deltas captured here
   */
  public static void insert(Connection connection, List<Delta> deltas, String receivedFrom)
      throws SQLException {
    insert(connection, deltas, receivedFrom, null, null);
  }

  /**
   * Inserts deltas captured on this node, as {@link #insert(Connection, List, String)} does, with
   * each one's basis read by the insert from the node's pointer for its upstream (when it has one):
   * the basis the deltas carry is ignored.
   */
  public static void insertCaptured(
      Connection connection, List<Delta> deltas, String nodeId, String upstream)
      throws SQLException {
    insert(connection, deltas, null, nodeId, upstream);
  }

  private static void insert(
      Connection connection,
      List<Delta> deltas,
      String receivedFrom,
      String nodeId,
      String upstream)
      throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    Dialect dialect = Dialect.of(connection);
    if (dialect == Dialect.OTHER) {
      if (upstream == null) {
        lockSeq(connection);
      } else {
        long basis = lockSeqReadingBasis(connection, nodeId, upstream);
        deltas = deltas.stream().map(delta -> delta.withBasis(basis)).toList();
        upstream = null;
      }
    }
    Timestamp now = new Timestamp(System.currentTimeMillis());
    if (dialect == Dialect.POSTGRESQL) {
      for (int from = 0; from < deltas.size(); from += PostgresDeltaInsert.MAX_PER_CALL) {
        List<Delta> part =
            deltas.subList(from, Math.min(deltas.size(), from + PostgresDeltaInsert.MAX_PER_CALL));
        try (PreparedStatement insert =
            connection.prepareStatement(
                PostgresDeltaInsert.sql(part.size(), upstream != null, false))) {
          PostgresDeltaInsert.bind(insert, part, receivedFrom, now, nodeId, upstream);
          if (PostgresDeltaInsert.execute(insert) != part.size()) {
            throw missingLockRow(); // an insert selected no lock row, so it inserted nothing
          }
        }
      }
      return;
    }
    if (dialect == Dialect.OTHER && deltas.size() > 1 && multiRowValues(connection)) {
      // MariaDB, MySQL: many rows per statement, as one JDBC batch would cost a round trip per
      // delta unless the driver sends it in bulk; under the lock taken above their seqs follow
      // the rows' order
      for (int from = 0; from < deltas.size(); from += ROWS_PER_INSERT) {
        List<Delta> part = deltas.subList(from, Math.min(deltas.size(), from + ROWS_PER_INSERT));
        String row = "(" + values(false, false) + ")";
        try (PreparedStatement insert =
            connection.prepareStatement(
                INSERT_COLUMNS
                    + " VALUES "
                    + String.join(", ", java.util.Collections.nCopies(part.size(), row)))) {
          int offset = 0;
          for (Delta delta : part) {
            offset += bind(insert, offset, delta, receivedFrom, now, nodeId, null);
          }
          if (insert.executeUpdate() != part.size()) {
            throw new SQLException(
                "a multi-row insert of " + part.size() + " deltas inserted another count");
          }
        }
      }
      return;
    }
    int[] counts;
    try (PreparedStatement insert =
        connection.prepareStatement(insertSql(dialect, upstream != null))) {
      for (Delta delta : deltas) {
        bind(insert, 0, delta, receivedFrom, now, nodeId, upstream);
        if (deltas.size() > 1) {
          insert.addBatch();
        }
      }
      counts = deltas.size() > 1 ? insert.executeBatch() : new int[] {insert.executeUpdate()};
    }
    if (dialect != Dialect.OTHER) {
      boolean unknown = false;
      for (int count : counts) {
        if (count == 0) {
          throw missingLockRow(); // the insert selected no lock row, so it inserted nothing
        }
        unknown |= count < 0;
      }
      if (unknown) {
        lockSeq(connection); // the driver did not say whether rows went in; this checks the row
      }
    }
  }

  /**
   * Sets the parameters of one delta's row, after the first {@code offset} parameters: 14, or 15
   * when {@code upstream} is given (the basis is then read from the pointer of {@code nodeId} for
   * it, see {@link #values}). Returns how many it set.
   */
  static int bind(
      PreparedStatement insert,
      int offset,
      Delta delta,
      String receivedFrom,
      Timestamp now,
      String nodeId,
      String upstream)
      throws SQLException {
    int i = bindLeading(insert, offset, delta, receivedFrom);
    if (upstream == null) {
      insert.setLong(++i, delta.basis());
    } else {
      insert.setString(++i, nodeId);
      insert.setString(++i, upstream);
    }
    i = bindTrailing(insert, i, delta);
    insert.setTimestamp(++i, now);
    return i - offset;
  }

  /**
   * Sets a delta's values before its basis, after the first {@code i} parameters: delta id, origin,
   * received from, source seq, transaction id, captured at. Returns the last index set.
   */
  static int bindLeading(PreparedStatement insert, int i, Delta delta, String receivedFrom)
      throws SQLException {
    insert.setString(++i, delta.id());
    insert.setString(++i, delta.origin());
    insert.setString(++i, receivedFrom);
    if (receivedFrom == null) {
      insert.setNull(++i, Types.BIGINT);
    } else {
      insert.setLong(++i, delta.seq());
    }
    insert.setString(++i, delta.txId());
    insert.setLong(++i, delta.capturedAt());
    return i;
  }

  /**
   * Sets a delta's values after its basis, after the first {@code i} parameters: statement id,
   * kind, table, row key, SQL and parameters. Returns the last index set.
   */
  static int bindTrailing(PreparedStatement insert, int i, Delta delta) throws SQLException {
    insert.setString(++i, delta.statementId());
    insert.setString(++i, delta.kind().name());
    insert.setString(++i, delta.table());
    insert.setString(++i, delta.rowKey() == null ? null : DeltaCodec.encodeRowKey(delta.rowKey()));
    insert.setString(++i, delta.sql());
    insert.setString(++i, DeltaCodec.encodeParams(delta.params()));
    return i;
  }

  /**
   * Whether the delta insert takes the seq lock itself on this database (PostgreSQL, H2); MariaDB
   * and MySQL keep the separate lock: their {@code INSERT ... SELECT ... FOR UPDATE}, one round
   * trip, measured slower than the lock read and a plain insert (and the driver's bulk protocol
   * refuses it in a batch).
   */
  static boolean locksInInsert(Connection connection) throws SQLException {
    return Dialect.of(connection) != Dialect.OTHER;
  }

  static SQLException missingLockRow() {
    return new SQLException(
        "ds_lock has no 'ds_delta' row; apply the DeltaSync changelog"
            + " db/changelog/deltasync-master.yaml");
  }

  private static void lockSeq(Connection connection) throws SQLException {
    try (PreparedStatement lock =
            connection.prepareStatement(
                "SELECT name FROM ds_lock WHERE name = 'ds_delta' FOR UPDATE");
        ResultSet row = lock.executeQuery()) {
      if (!row.next()) {
        throw missingLockRow();
      }
    }
  }

  /**
   * Locks the seq as {@link #lockSeq} does and reads the node's {@code lastProcessed} from its
   * upstream in the same statement. Only the lock row is locked: InnoDB's locking reads do not lock
   * the rows a nested subquery reads (whereas a subquery in an INSERT, at REPEATABLE READ, takes a
   * shared lock on the pointer row after ds_lock, and would deadlock with an applier that holds the
   * pointer and waits for ds_lock; {@code DeltaRowsIT} checks that the pointer stays free).
   */
  private static long lockSeqReadingBasis(Connection connection, String nodeId, String upstream)
      throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement(
            "SELECT name, "
                + BASIS_FROM_POINTER
                + " FROM ds_lock WHERE name = 'ds_delta' FOR UPDATE")) {
      lock.setString(1, nodeId);
      lock.setString(2, upstream);
      try (ResultSet row = lock.executeQuery()) {
        if (!row.next()) {
          throw missingLockRow();
        }
        return row.getLong(2);
      }
    }
  }

  /** Reads a delta from a row selected with {@link #COLUMNS}; its seq is this store's. */
  public static Delta read(ResultSet row) throws SQLException {
    String rowKey = row.getString("row_key");
    return new Delta(
        row.getString("delta_id"),
        row.getString("origin"),
        row.getLong("seq"),
        row.getString("tx_id"),
        row.getLong("captured_at"),
        row.getLong("basis"),
        row.getString("statement_id"),
        Kind.valueOf(row.getString("kind")),
        row.getString("table_name"),
        rowKey == null ? null : DeltaCodec.decodeRowKey(rowKey),
        row.getString("sql_text"),
        DeltaCodec.decodeParams(row.getString("params")));
  }

  /**
   * Which of these delta ids the store already holds, or an operator skipped ({@code
   * ds_dead_letter} status SKIPPED): the ids an applier must not run again.
   */
  public static Set<String> existingIds(Connection connection, List<String> ids)
      throws SQLException {
    if (!ids.isEmpty() && ValueLists.arrays(connection)) {
      return existingIdsOnPostgres(connection, ids);
    }
    return textsIn(
        connection,
        "SELECT delta_id FROM ds_delta WHERE delta_id "
            + ValueLists.LIST
            + " UNION ALL SELECT delta_id FROM ds_dead_letter WHERE status = 'SKIPPED'"
            + " AND delta_id "
            + ValueLists.LIST,
        ids);
  }

  /**
   * PostgreSQL's {@link #existingIds}: one probe of the delta id index per id, whatever the
   * statistics say. As {@code delta_id = ANY (?)} a {@code ds_delta} that grew since it was last
   * analyzed was read whole (10 ms for 488 ids at 50,000 deltas, growing with the table), as in
   * {@link #rowsWithDeltasOnPostgres}.
   */
  private static Set<String> existingIdsOnPostgres(Connection connection, List<String> ids)
      throws SQLException {
    return textsOnPostgres(
        connection,
        "SELECT k.id FROM unnest(CAST(? AS text[])) AS k (id) CROSS JOIN LATERAL"
            + " (SELECT 1 FROM ds_delta d WHERE d.delta_id = k.id LIMIT 1) AS hit"
            + " UNION ALL SELECT delta_id FROM ds_dead_letter WHERE status = 'SKIPPED'"
            + " AND delta_id = ANY (CAST(? AS text[]))",
        ids,
        (select, array) -> {
          select.setArray(1, array);
          select.setArray(2, array);
        });
  }

  /** Binds a PostgreSQL query's parameters, given its list as a text array. */
  @FunctionalInterface
  private interface ArrayBinding {
    void bind(PreparedStatement select, Array texts) throws SQLException;
  }

  /** The first column of a PostgreSQL query that takes {@code texts} as a text array. */
  private static Set<String> textsOnPostgres(
      Connection connection, String sql, Collection<String> texts, ArrayBinding binding)
      throws SQLException {
    Set<String> found = new HashSet<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      ValueLists.planEachRun(select);
      Array array = connection.createArrayOf("text", texts.toArray());
      try {
        binding.bind(select, array);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            found.add(rows.getString(1));
          }
        }
      } finally {
        array.free();
      }
    }
    return found;
  }

  /**
   * Runs a query whose first column is a text, with each {@link ValueLists#LIST} in it standing for
   * {@code texts}, and collects that column: e.g. which of the texts a table holds.
   */
  public static Set<String> textsIn(Connection connection, String select, List<String> texts)
      throws SQLException {
    Set<String> found = new HashSet<>();
    ValueLists.select(connection, select, texts, null, row -> found.add(row.getString(1)));
    return found;
  }

  /**
   * Which of these rows ({@code table + " " + row_key}) have a delta here: of this origin, or of
   * any origin when {@code origin} is null.
   */
  public static Set<String> rowsWithDeltas(Connection connection, String origin, List<Delta> deltas)
      throws SQLException {
    java.util.Map<String, Set<String>> keysByTable = new java.util.LinkedHashMap<>();
    for (Delta delta : deltas) {
      if (delta.rowKey() != null && delta.table() != null) {
        keysByTable
            .computeIfAbsent(delta.table(), t -> new java.util.LinkedHashSet<>())
            .add(DeltaCodec.encodeRowKey(delta.rowKey()));
      }
    }
    Set<String> own = new HashSet<>();
    boolean h2 = Dialect.of(connection) == Dialect.H2;
    boolean postgres = !h2 && ValueLists.arrays(connection);
    for (java.util.Map.Entry<String, Set<String>> table : keysByTable.entrySet()) {
      if (h2) {
        own.addAll(rowsWithDeltasOnH2(connection, origin, table.getKey(), table.getValue()));
        continue;
      }
      if (postgres) {
        own.addAll(rowsWithDeltasOnPostgres(connection, origin, table.getKey(), table.getValue()));
        continue;
      }
      ValueLists.select(
          connection,
          "SELECT DISTINCT row_key FROM ds_delta WHERE table_name = ?"
              + (origin == null ? "" : " AND origin = ?")
              + " AND row_key "
              + ValueLists.LIST,
          List.copyOf(table.getValue()),
          select -> {
            select.setString(1, table.getKey());
            if (origin == null) {
              return 1;
            }
            select.setString(2, origin);
            return 2;
          },
          row -> own.add(table.getKey() + " " + row.getString(1)));
    }
    return own;
  }

  /**
   * PostgreSQL's {@link #rowsWithDeltas}: one index probe per key, {@code (table_name, row_key)}.
   * Written as {@code table_name = ? AND row_key = ANY (?)}, a {@code ds_delta} whose statistics
   * are stale (a node's first minute, before autovacuum analyzes it) was read through its {@code
   * (table_name, seq)} index instead, every delta of the table filtered: 9.4 ms for 488 keys at
   * 50,000 deltas, growing with the table. A {@code LATERAL} subquery with a {@code LIMIT} is not
   * merged into a join, so each key is looked up on its own, whatever the statistics say.
   */
  private static Set<String> rowsWithDeltasOnPostgres(
      Connection connection, String origin, String table, Set<String> keys) throws SQLException {
    Set<String> found = new HashSet<>();
    for (String key :
        textsOnPostgres(
            connection,
            "SELECT k.row_key FROM unnest(CAST(? AS text[])) AS k (row_key) CROSS JOIN LATERAL"
                + " (SELECT 1 FROM ds_delta d WHERE d.table_name = ? AND d.row_key = k.row_key"
                + (origin == null ? "" : " AND d.origin = ?")
                + " LIMIT 1) AS hit",
            keys,
            (select, array) -> {
              select.setArray(1, array);
              select.setString(2, table);
              if (origin != null) {
                select.setString(3, origin);
              }
            })) {
      found.add(table + " " + key);
    }
    return found;
  }

  /**
   * {@link #rowsWithDeltas} of one table on H2, whose plan for {@code table_name = ? AND row_key IN
   * (?, ...)} reads every index entry of the table (131 ms for 200 keys among 300,000 deltas,
   * growing with {@code ds_delta}): a join with the keys as an array looks each one up (16 ms).
   */
  private static Set<String> rowsWithDeltasOnH2(
      Connection connection, String origin, String table, Set<String> keys) throws SQLException {
    Set<String> found = new HashSet<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT DISTINCT d.row_key FROM TABLE(k VARCHAR = ?) t JOIN ds_delta d"
                + " ON d.table_name = ? AND d.row_key = t.k"
                + (origin == null ? "" : " AND d.origin = ?"))) {
      select.setObject(1, keys.toArray(String[]::new));
      select.setString(2, table);
      if (origin != null) {
        select.setString(3, origin);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(table + " " + rows.getString(1));
        }
      }
    }
    return found;
  }

  /** The identity {@link #rowsWithDeltas} uses for the delta's row; null when it pins none. */
  public static String rowOf(Delta delta) {
    return delta.rowKey() == null || delta.table() == null
        ? null
        : delta.table() + " " + DeltaCodec.encodeRowKey(delta.rowKey());
  }

  /** Reads all rows of a query selecting {@link #COLUMNS}. */
  public static List<Delta> readAll(PreparedStatement select) throws SQLException {
    List<Delta> deltas = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        deltas.add(read(rows));
      }
    }
    return deltas;
  }
}
