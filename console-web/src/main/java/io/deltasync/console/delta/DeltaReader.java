package io.deltasync.console.delta;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.Kind;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.NodePointers;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads this node's {@code ds_delta} for the Deltas page: filtered, in seq order either way, one
 * keyset page at a time (a page never scans the rows of the pages before it). A delta is pending
 * for a peer when its seq is above the peer's {@code lastPushed} and it neither came from nor
 * originated at the peer, as {@link DeltaStore#pendingFor} sends them. Thread-safe.
 */
@Component
public class DeltaReader {

  private static final String COLUMNS =
      "seq, delta_id, origin, received_from, source_seq, tx_id, captured_at, basis, statement_id,"
          + " kind, table_name, row_key, sql_text, params, stored_at";

  private final JdbcTemplate jdbc;
  private final DeltaStore store;

  public DeltaReader(DataSource dataSource, DeltaStore store) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.store = store;
  }

  /** At most {@code limit} deltas that pass the filter, from its cursor on. */
  public List<StoredDelta> list(DeltaFilter filter, int limit) {
    List<NodePointers> pointers = store.allPointers();
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM ds_delta");
    List<Object> args = new ArrayList<>();
    List<String> where = new ArrayList<>();
    if (filter.cursor() != null) {
      where.add(filter.oldestFirst() ? "seq > ?" : "seq < ?");
      args.add(filter.cursor());
    }
    if (filter.peer() != null) {
      where.add("seq > ? AND origin <> ? AND (received_from IS NULL OR received_from <> ?)");
      args.add(lastPushed(pointers, filter.peer()));
      args.add(filter.peer());
      args.add(filter.peer());
    }
    if (filter.origin() != null) {
      where.add("origin = ?");
      args.add(filter.origin());
    }
    if (filter.table() != null) {
      where.add("table_name = ?");
      args.add(filter.table());
    }
    if (filter.kind() != null) {
      where.add("kind = ?");
      args.add(filter.kind().name());
    }
    if (filter.statementId() != null) {
      if (filter.statementId().contains("*")) {
        where.add("statement_id LIKE ?");
        args.add(filter.statementId().replace("%", "\\%").replace("_", "\\_").replace('*', '%'));
      } else {
        where.add("statement_id = ?");
        args.add(filter.statementId());
      }
    }
    if (filter.from() != null) {
      where.add("captured_at >= ?");
      args.add(filter.from().toEpochMilli() << 16);
    }
    if (filter.to() != null) {
      where.add("captured_at < ?");
      args.add(filter.to().toEpochMilli() << 16);
    }
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    sql.append(" ORDER BY seq ").append(filter.oldestFirst() ? "ASC" : "DESC").append(" LIMIT ?");
    args.add(limit);
    return jdbc.query(sql.toString(), (row, index) -> read(row, pointers), args.toArray());
  }

  /** The delta with this seq, or empty when the store holds none (any more). */
  public Optional<StoredDelta> find(long seq) {
    List<NodePointers> pointers = store.allPointers();
    return jdbc
        .query(
            "SELECT " + COLUMNS + " FROM ds_delta WHERE seq = ?",
            (row, index) -> read(row, pointers),
            seq)
        .stream()
        .findFirst();
  }

  /** The peers this node has pointers for, by id. */
  public List<String> peers() {
    return store.allPointers().stream().map(NodePointers::peerId).toList();
  }

  private static long lastPushed(List<NodePointers> pointers, String peer) {
    return pointers.stream()
        .filter(pointer -> pointer.peerId().equals(peer))
        .mapToLong(NodePointers::lastPushed)
        .findFirst()
        .orElse(0L);
  }

  private static StoredDelta read(ResultSet row, List<NodePointers> pointers) throws SQLException {
    String rowKey = row.getString("row_key");
    Delta delta =
        new Delta(
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
    String receivedFrom = row.getString("received_from");
    long sourceSeq = row.getLong("source_seq");
    Long source = row.wasNull() ? null : sourceSeq;
    List<String> pending = new ArrayList<>();
    for (NodePointers pointer : pointers) {
      String peer = pointer.peerId();
      if (delta.seq() > pointer.lastPushed()
          && !peer.equals(delta.origin())
          && !peer.equals(receivedFrom)) {
        pending.add(peer);
      }
    }
    return new StoredDelta(
        delta, receivedFrom, source, row.getTimestamp("stored_at").toInstant(), pending);
  }
}
