package io.deltasync.conflict.shop;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.testing.NotesSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * One node of the shop application: its tables created with upper-case names, MyBatis with the
 * DeltaSync plugin, and the node built as the README's first in-process example builds it.
 */
record ShopNode(String id, TestDatabase db, SqlSessionFactory sessions, SyncNode node) {

  static ShopNode start(String id, String upstream, TestDatabase db) {
    db.migrate();
    db.execute(
        "CREATE TABLE ITEM (ID BIGINT PRIMARY KEY, NAME VARCHAR(100), QTY INT NOT NULL)",
        "CREATE TABLE ACCOUNT (ID BIGINT PRIMARY KEY, EMAIL VARCHAR(200), ADDRESS VARCHAR(200))",
        "CREATE TABLE SEQ (NAME VARCHAR(64) PRIMARY KEY, VAL BIGINT NOT NULL)");
    Configuration configuration =
        new Configuration(new Environment(id, new JdbcTransactionFactory(), db.dataSource()));
    configuration.addMapper(ShopMapper.class);
    configuration.addInterceptor(
        new DeltaSyncInterceptor(
            new CaptureSettings(id, upstream, NameFilter.ALL, NameFilter.ALL, Set.of()),
            List.of()));
    return new ShopNode(
        id,
        db,
        new SqlSessionFactoryBuilder().build(configuration),
        new SyncNode(id, db.dataSource(), NameFilter.ALL));
  }

  /** Runs work in one committed transaction. */
  <T> T write(Function<ShopMapper, T> work) {
    try (SqlSession session = sessions.openSession()) {
      T result = work.apply(session.getMapper(ShopMapper.class));
      session.commit();
      return result;
    }
  }

  /** Reads through the mapper, and so through its second-level cache. */
  <T> T read(Function<ShopMapper, T> work) {
    try (SqlSession session = sessions.openSession()) {
      T result = work.apply(session.getMapper(ShopMapper.class));
      session.commit(); // a committed session puts what it read into the cache
      return result;
    }
  }

  /** Every row of the shop tables, one line each, read with JDBC. */
  List<String> dump() {
    List<String> rows = new ArrayList<>();
    NotesSchema.query(
        db.dataSource(),
        "SELECT ID, NAME, QTY FROM ITEM ORDER BY ID",
        row -> rows.add("ITEM " + row.getLong(1) + " " + row.getString(2) + " " + row.getInt(3)));
    NotesSchema.query(
        db.dataSource(),
        "SELECT ID, EMAIL, ADDRESS FROM ACCOUNT ORDER BY ID",
        row ->
            rows.add(
                "ACCOUNT " + row.getLong(1) + " " + row.getString(2) + " " + row.getString(3)));
    NotesSchema.query(
        db.dataSource(),
        "SELECT NAME, VAL FROM SEQ ORDER BY NAME",
        row -> rows.add("SEQ " + row.getString(1) + " " + row.getLong(2)));
    return rows;
  }

  long count(String sql) {
    return NotesSchema.count(db.dataSource(), sql);
  }
}
