package io.deltasync.verify;

import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;

/**
 * The {@code stock} table of reload tests on a test node: created, written through MyBatis, read.
 */
final class Stocks {

  private Stocks() {}

  /** Creates the table on the node and lets its MyBatis (with the DeltaSync plugin) write it. */
  static void install(TestNode node) {
    node.db()
        .execute(
            "CREATE TABLE stock (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                + " qty INT NOT NULL)");
    Configuration configuration = node.sessions().getConfiguration();
    if (!configuration.hasMapper(StockMapper.class)) {
      configuration.addMapper(StockMapper.class);
    }
  }

  /** Runs work in one committed transaction, captured as the application's writes are. */
  static <T> T write(TestNode node, Function<StockMapper, T> work) {
    try (SqlSession session = node.sessions().openSession()) {
      T result = work.apply(session.getMapper(StockMapper.class));
      session.commit();
      return result;
    }
  }

  /** Every row, ordered by id, as {@code id|name|qty}. */
  static List<String> rows(TestNode node) {
    List<String> rows = new ArrayList<>();
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT id, name, qty FROM stock ORDER BY id",
        row -> rows.add(row.getLong(1) + "|" + row.getString(2) + "|" + row.getInt(3)));
    return rows;
  }

  /** Each row's qty by id. */
  static Map<Long, Integer> quantities(TestNode node) {
    Map<Long, Integer> quantities = new TreeMap<>();
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT id, qty FROM stock",
        row -> quantities.put(row.getLong(1), row.getInt(2)));
    return quantities;
  }
}
