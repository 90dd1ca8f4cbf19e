package io.deltasync.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.capture.DeltaCaptureException;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NoteMapper;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.TransactionIsolationLevel;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's insert-and-commit of a captured transaction's deltas: the change and its deltas
 * commit together, in order, and a missing lock row rolls the change back instead of committing it
 * without its delta. Other databases keep the batch path.
 */
class CommittingInsertIT {

  @Test
  void commitsAPlainMyBatisTransactionWithItsDeltasInOrder() {
    TestNode node = TestNode.start("node-a", TestDatabases.postgres("committing"));

    node.inTransaction(
        notes -> {
          for (int id = 1; id <= 3; id++) {
            notes.insert(new Note(id, "note " + id));
          }
          return null;
        });

    assertThat(node.notes()).hasSize(3);
    List<String> recorded = new ArrayList<>();
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT seq, row_key FROM ds_delta ORDER BY seq",
        row -> recorded.add(row.getLong(1) + " " + row.getString(2)));
    assertThat(recorded)
        .containsExactly("1 {\"id\":\"1\"}", "2 {\"id\":\"2\"}", "3 {\"id\":\"3\"}");
  }

  @Test
  void rollsTheChangeBackWhenTheLockRowIsMissing() {
    TestNode node = TestNode.start("node-a", TestDatabases.postgres("committing"));
    node.db().execute("DELETE FROM ds_lock");

    try (SqlSession session = node.sessions().openSession()) {
      session.getMapper(NoteMapper.class).insert(new Note(1, "unrecorded"));
      assertThatThrownBy(session::commit)
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining("ds_lock has no 'ds_delta' row; apply the DeltaSync changelog");
      session.rollback();
    }

    assertThat(node.notes()).isEmpty();
    assertThat(node.deltaCount()).isZero();
  }

  @Test
  void aSerializationFailureAtCommitIsTheDatabasesOwnErrorAndNothingOfItIsKept() {
    TestNode node = TestNode.start("node-a", TestDatabases.postgres("committing"));
    node.inTransaction(
        notes -> {
          notes.insert(new Note(1, "one"));
          notes.insert(new Note(2, "two"));
          return null;
        });
    long deltasBefore = node.deltaCount();

    try (SqlSession first = node.sessions().openSession(TransactionIsolationLevel.SERIALIZABLE);
        SqlSession second = node.sessions().openSession(TransactionIsolationLevel.SERIALIZABLE)) {
      // write skew: each reads both notes and changes the one the other read
      first.getMapper(NoteMapper.class).all();
      second.getMapper(NoteMapper.class).all();
      first.getMapper(NoteMapper.class).update(new Note(2, "first"));
      second.getMapper(NoteMapper.class).update(new Note(1, "second"));
      first.commit();

      assertThatThrownBy(second::commit)
          .isInstanceOf(PersistenceException.class)
          .cause()
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
      second.rollback();
    }

    List<String> titles = new ArrayList<>();
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT title FROM note ORDER BY id",
        row -> titles.add(row.getString(1)));
    assertThat(titles).containsExactly("one", "first");
    assertThat(node.deltaCount()).isEqualTo(deltasBefore + 1);
  }

  @Test
  void insertsAndCommitsInOneStatementOnPostgresql() throws SQLException {
    TestDatabase db = TestDatabases.postgres("committing").migrate();
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE t (id INT)");
        statement.execute("INSERT INTO t VALUES (1)");
      }

      assertThat(CommittingInsert.insertAndCommit(connection, List.of(delta(), delta()))).isTrue();

      connection.rollback(); // nothing left to roll back: the statement committed
      assertThat(NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM t")).isOne();
      assertThat(NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM ds_delta")).isEqualTo(2);
    } finally {
      db.close();
    }
  }

  @Test
  void readsTheBasisFromTheNodesPointerInTheSameStatement() throws SQLException {
    TestDatabase db = TestDatabases.postgres("committing").migrate();
    db.execute(
        "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed, updated_at)"
            + " VALUES ('node-a', 'hub', 3, 17, CURRENT_TIMESTAMP)");
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);

      assertThat(
              CommittingInsert.insertAndCommit(
                  connection, List.of(delta(), delta(), delta()), "node-a", "hub"))
          .isTrue();

      assertThat(
              NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM ds_delta WHERE basis = 17"))
          .isEqualTo(3);
    } finally {
      db.close();
    }
  }

  @Test
  void leavesOtherDatabasesAndLargeTransactionsToTheBatchPath() throws SQLException {
    TestDatabase h2 = TestDatabases.h2("committing").migrate();
    TestDatabase postgres = TestDatabases.postgres("committing").migrate();
    List<Delta> many = new ArrayList<>();
    for (int i = 0; i <= CommittingInsert.MAX_DELTAS; i++) {
      many.add(delta());
    }
    try (Connection onH2 = h2.dataSource().getConnection();
        Connection onPostgres = postgres.dataSource().getConnection()) {
      onH2.setAutoCommit(false);
      onPostgres.setAutoCommit(false);

      assertThat(CommittingInsert.insertAndCommit(onH2, List.of(delta()))).isFalse();
      assertThat(CommittingInsert.insertAndCommit(onPostgres, many)).isFalse();

      onH2.commit();
      onPostgres.commit();
      assertThat(NotesSchema.count(h2.dataSource(), "SELECT COUNT(*) FROM ds_delta")).isZero();
      assertThat(NotesSchema.count(postgres.dataSource(), "SELECT COUNT(*) FROM ds_delta"))
          .isZero();
    } finally {
      h2.close();
      postgres.close();
    }
  }

  private static Delta delta() {
    return new Delta(
        DeltaIds.next(),
        "node-a",
        0,
        DeltaIds.next(),
        1L << 16,
        0,
        "test.NoteMapper.insert",
        Kind.INSERT,
        "note",
        null,
        "INSERT INTO note (id) VALUES (?)",
        List.of(new Param(ParamType.LONG, 1L)));
  }
}
