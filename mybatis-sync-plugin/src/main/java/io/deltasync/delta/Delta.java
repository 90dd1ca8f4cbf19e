package io.deltasync.delta;

import io.deltasync.delta.internal.LogText;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One executed mutation statement, as captured on its origin node.
 *
 * @param id globally unique, time-sortable id (UUIDv7), assigned at capture
 * @param origin node id of the node that captured it
 * @param seq the order of this delta in the store it was read from (0 before it is stored); not an
 *     identity: each node numbers the deltas it holds itself
 * @param txId groups the deltas of one database transaction
 * @param capturedAt hybrid logical clock at capture, see {@link HybridClock}
 * @param basis the origin's {@code lastProcessed} from its upstream hub at capture
 * @param statementId the MyBatis mapped statement id
 * @param kind INSERT, UPDATE or DELETE
 * @param table the target table, lower case; null when the SQL could not be parsed
 * @param rowKey the key of the one row the statement affects; null when it does not pin one row
 * @param sql the executed SQL with {@code ?} placeholders, as MyBatis bound it
 * @param params the bound parameters in placeholder order
 */
public record Delta(
    String id,
    String origin,
    long seq,
    String txId,
    long capturedAt,
    long basis,
    String statementId,
    Kind kind,
    String table,
    RowKey rowKey,
    String sql,
    List<Param> params) {

  /** The shape of a node id: lower-case letters, digits and dashes, 1 to 64 of them. */
  public static final Pattern NODE_ID = Pattern.compile("[a-z0-9-]{1,64}");

  /**
   * The shape of a delta's id and transaction id: 1 to 36 visible ASCII characters (a UUID as
   * DeltaSync makes them, the width of their columns).
   */
  public static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,36}");

  /** The most characters of a statement id, the width of its column. */
  public static final int MAX_STATEMENT_ID = 512;

  public Delta {
    requireToken(id, "id");
    requireNodeId(origin, "origin");
    requireToken(txId, "txId");
    requireStatementId(statementId);
    Objects.requireNonNull(kind, "kind");
    requireText(sql, "sql");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0, but was " + seq);
    }
    if (basis < 0) {
      throw new IllegalArgumentException("basis must be >= 0, but was " + basis);
    }
    params = List.copyOf(Objects.requireNonNull(params, "params"));
  }

  /** This delta as numbered by a store. */
  public Delta withSeq(long newSeq) {
    return new Delta(
        id, origin, newSeq, txId, capturedAt, basis, statementId, kind, table, rowKey, sql, params);
  }

  /** This delta with the basis its origin recorded at store time. */
  public Delta withBasis(long newBasis) {
    return new Delta(
        id, origin, seq, txId, capturedAt, newBasis, statementId, kind, table, rowKey, sql, params);
  }

  /** This delta with the table and row key a receiver derived from its SQL. */
  public Delta withTarget(String newTable, RowKey newRowKey) {
    return new Delta(
        id,
        origin,
        seq,
        txId,
        capturedAt,
        basis,
        statementId,
        kind,
        newTable,
        newRowKey,
        sql,
        params);
  }

  /** Checks a node id against {@link #NODE_ID}, naming the field in the error. */
  public static String requireNodeId(String value, String field) {
    if (value == null || !NODE_ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must match " + NODE_ID.pattern() + ", but was " + quote(value));
    }
    return value;
  }

  /** Checks an id against {@link #TOKEN}, naming the field in the error. */
  public static String requireToken(String value, String field) {
    if (value == null || !TOKEN.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must be 1 to 36 visible ASCII characters (no space), but was " + quote(value));
    }
    return value;
  }

  /**
   * A statement id names a mapped statement: not blank, at most {@link #MAX_STATEMENT_ID}
   * characters, and none that would break a log line (a line break, a control character).
   */
  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank, but was " + quote(value));
    }
  }

  private static void requireStatementId(String value) {
    requireText(value, "statementId");
    if (value.length() > MAX_STATEMENT_ID) {
      throw new IllegalArgumentException(
          "statementId must have at most "
              + MAX_STATEMENT_ID
              + " characters, but has "
              + value.length()
              + ": "
              + quote(value));
    }
    if (LogText.hasUnsafe(value)) {
      throw new IllegalArgumentException(
          "statementId must not hold line breaks or control characters, but was " + quote(value));
    }
  }

  private static String quote(String value) {
    return value == null ? "null" : "'" + LogText.of(value) + "'";
  }
}
