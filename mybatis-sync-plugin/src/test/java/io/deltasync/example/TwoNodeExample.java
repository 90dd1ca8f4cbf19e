package io.deltasync.example;

import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;

/**
 * Two nodes, each an H2 database with MyBatis configured by {@code example/mybatis-config.xml}:
 * node A adds, finishes and removes to-dos; node B pulls; both then list the same to-dos.
 */
public final class TwoNodeExample {

  private TwoNodeExample() {}

  public static void main(String[] args) throws IOException {
    Node a = Node.start("node-a");
    Node b = Node.start("node-b");

    String milk = UUID.randomUUID().toString().substring(0, 8);
    String bob = UUID.randomUUID().toString().substring(0, 8);
    String taxes = UUID.randomUUID().toString().substring(0, 8);
    try (SqlSession session = a.mybatis.openSession()) {
      TodoMapper todos = session.getMapper(TodoMapper.class);
      todos.add(milk, "Buy milk");
      todos.add(bob, "Call Bob");
      todos.add(taxes, "File taxes");
      todos.finish(milk);
      todos.remove(taxes);
      session.commit();
    }
    try (SqlSession session = a.mybatis.openSession()) {
      session.getMapper(TodoMapper.class).add("oops", "Rolled back: never synced");
      session.rollback();
    }
    System.out.println("node-a recorded " + a.sync.store().count() + " deltas");

    int applied = b.sync.pull(a.sync);
    System.out.println("node-b pulled and applied " + applied + " deltas from node-a");
    System.out.println("node-a to-dos: " + a.list());
    System.out.println("node-b to-dos: " + b.list());
    System.out.println(
        "node-b pointer for node-a: lastProcessed="
            + b.sync.store().pointers("node-a").lastProcessed()
            + ", a second pull applies "
            + b.sync.pull(a.sync));
    if (!a.list().equals(b.list())) {
      throw new IllegalStateException("node-b differs from node-a");
    }
    System.exit(0);
  }

  private record Node(SqlSessionFactory mybatis, SyncNode sync) {

    static Node start(String nodeId) throws IOException {
      TestDatabase db = TestDatabases.h2(nodeId).migrate();
      db.execute(
          "CREATE TABLE todo (id VARCHAR(36) PRIMARY KEY, title VARCHAR(200), done BOOLEAN)");
      Properties variables = new Properties();
      variables.setProperty("nodeId", nodeId);
      variables.setProperty("url", db.jdbcUrl());
      try (InputStream config =
          TwoNodeExample.class.getResourceAsStream("/example/mybatis-config.xml")) {
        SqlSessionFactory mybatis = new SqlSessionFactoryBuilder().build(config, variables);
        return new Node(mybatis, new SyncNode(nodeId, db.dataSource(), NameFilter.ALL));
      }
    }

    List<String> list() {
      try (SqlSession session = mybatis.openSession()) {
        return session.getMapper(TodoMapper.class).list();
      }
    }
  }
}
