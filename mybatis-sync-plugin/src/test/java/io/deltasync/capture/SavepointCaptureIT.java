package io.deltasync.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.deltasync.capture.autoconfigure.DeltaSyncCaptureAutoConfiguration;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NoteMapper;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mybatis.spring.SqlSessionTemplate;
import org.mybatis.spring.boot.autoconfigure.MybatisAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A rollback to a savepoint leaves no delta of the statements it undid, and a second node that
 * applies the deltas holds the same rows: JDBC savepoints on the session's connection with plain
 * MyBatis (nested, named, released, with BATCH executors), and Spring's {@code PROPAGATION_NESTED},
 * on H2, PostgreSQL and MariaDB.
 */
class SavepointCaptureIT {

  /** Node A, whose application uses savepoints, and node B, which pulls from it. */
  private record Nodes(TestNode a, TestNode b) {}

  private static final Map<String, Nodes> NODES = new ConcurrentHashMap<>();

  static Stream<String> databases() {
    return Stream.of("h2", "postgresql", "mariadb");
  }

  /** The nodes on one kind of database, made once per class; each test uses its own ids. */
  private static Nodes nodes(String kind) {
    return NODES.computeIfAbsent(
        kind,
        k -> {
          Function<String, TestDatabase> create =
              switch (k) {
                case "h2" -> TestDatabases::h2;
                case "postgresql" -> TestDatabases::postgres;
                default -> TestDatabases::mariadb;
              };
          return new Nodes(
              TestNode.start("node-a", create.apply("savepoint_a")),
              TestNode.start("node-b", create.apply("savepoint_b")));
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void rollbackToASavepointLeavesNoDeltaOfTheStatementsItUndid(String kind) throws SQLException {
    Nodes nodes = nodes(kind);
    long before = lastSeq(nodes.a());
    try (SqlSession session = nodes.a().sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(new Note(101, "kept"));
      Savepoint savepoint = session.getConnection().setSavepoint();
      notes.insert(new Note(102, "undone"));
      notes.update(new Note(101, "undone edit"));
      session.getConnection().rollback(savepoint);
      notes.insert(new Note(103, "after the rollback"));
      session.commit();
    }

    assertThat(deltasAfter(nodes.a(), before)).containsExactly("INSERT 101", "INSERT 103");
    assertThat(titles(nodes.a(), 101, 103)).containsExactly("101 kept", "103 after the rollback");
    assertSameRowsAfterPull(nodes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void releasingASavepointKeepsTheDeltasOfItsStatements(String kind) throws SQLException {
    Nodes nodes = nodes(kind);
    long before = lastSeq(nodes.a());
    try (SqlSession session = nodes.a().sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(new Note(201, "before"));
      Connection connection = session.getConnection();
      Savepoint savepoint = connection.setSavepoint("keep_them");
      notes.insert(new Note(202, "inside"));
      notes.update(new Note(201, "edited inside"));
      connection.releaseSavepoint(savepoint);
      notes.insert(new Note(203, "after"));
      session.commit();
    }

    assertThat(deltasAfter(nodes.a(), before))
        .containsExactly("INSERT 201", "INSERT 202", "UPDATE 201", "INSERT 203");
    assertSameRowsAfterPull(nodes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void nestedSavepointsUndoExactlyWhatEachRollbackUndid(String kind) throws SQLException {
    Nodes nodes = nodes(kind);
    long before = lastSeq(nodes.a());
    try (SqlSession session = nodes.a().sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      Connection connection = session.getConnection();
      notes.insert(new Note(301, "outside"));
      Savepoint outer = connection.setSavepoint("outer");
      notes.insert(new Note(302, "in outer"));
      Savepoint inner = connection.setSavepoint("inner");
      notes.insert(new Note(303, "in inner, undone"));
      connection.rollback(inner);
      notes.insert(new Note(304, "in outer after the inner rollback"));
      session.commit();

      // the next transaction: the outer rollback also undoes what a nested savepoint held
      notes.insert(new Note(305, "outside"));
      outer = connection.setSavepoint();
      notes.insert(new Note(306, "undone"));
      inner = connection.setSavepoint("inner");
      notes.update(new Note(305, "undone edit"));
      connection.releaseSavepoint(inner);
      notes.delete(301);
      connection.rollback(outer);
      notes.insert(new Note(307, "after"));
      session.commit();
    }

    assertThat(deltasAfter(nodes.a(), before))
        .containsExactly("INSERT 301", "INSERT 302", "INSERT 304", "INSERT 305", "INSERT 307");
    assertThat(titles(nodes.a(), 301, 307))
        .containsExactly(
            "301 outside",
            "302 in outer",
            "304 in outer after the inner rollback",
            "305 outside",
            "307 after");
    assertSameRowsAfterPull(nodes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void batchStatementsCountWhereTheyWereFlushed(String kind) throws SQLException {
    Nodes nodes = nodes(kind);
    long before = lastSeq(nodes.a());
    try (SqlSession session = nodes.a().sessions().openSession(ExecutorType.BATCH)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      Connection connection = session.getConnection();
      notes.insert(new Note(401, "flushed before the savepoint"));
      session.flushStatements();
      Savepoint first = connection.setSavepoint();
      notes.insert(new Note(402, "flushed inside, undone"));
      session.flushStatements();
      connection.rollback(first);
      // queued when the savepoint is rolled back, so it runs after the rollback, at the commit
      notes.insert(new Note(403, "queued across the rollback"));
      Savepoint second = connection.setSavepoint();
      connection.rollback(second);
      session.commit();
    }

    assertThat(deltasAfter(nodes.a(), before)).containsExactly("INSERT 401", "INSERT 403");
    assertThat(titles(nodes.a(), 401, 403))
        .containsExactly("401 flushed before the savepoint", "403 queued across the rollback");
    assertSameRowsAfterPull(nodes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void rollbackOnTheSessionsConnectionLeavesNoDelta(String kind) throws SQLException {
    Nodes nodes = nodes(kind);
    long before = lastSeq(nodes.a());
    try (SqlSession session = nodes.a().sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(new Note(501, "undone"));
      session.getConnection().rollback();
      notes.insert(new Note(502, "kept"));
      session.commit();
    }

    assertThat(deltasAfter(nodes.a(), before)).containsExactly("INSERT 502");
    assertSameRowsAfterPull(nodes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void rollbackToASavepointSetBehindDeltaSyncsBackFailsTheCommit(String kind) throws SQLException {
    Nodes nodes = nodes(kind);
    long before = lastSeq(nodes.a());
    try (SqlSession session = nodes.a().sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      Connection connection = session.getConnection();
      notes.insert(new Note(601, "before"));
      // set on the driver's own connection, where DeltaSync cannot see it
      Savepoint unseen = connection.unwrap(driverConnection(kind)).setSavepoint();
      notes.insert(new Note(602, "undone"));
      connection.rollback(unseen);

      assertThatThrownBy(session::commit)
          .hasRootCauseInstanceOf(DeltaCaptureException.class)
          .hasStackTraceContaining("did not see being set");
      session.rollback();
    }

    assertThat(deltasAfter(nodes.a(), before)).isEmpty();
    assertThat(titles(nodes.a(), 601, 602)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void nestedSpringTransactionThatFailsLeavesNoDelta(String kind) {
    Nodes nodes = nodes(kind);
    long before = lastSeq(nodes.a());
    spring(nodes.a().db())
        .run(
            context -> {
              NoteMapper notes = mapper(context);
              TransactionTemplate outer = transactions(context, false);
              TransactionTemplate nested = transactions(context, true);
              outer.executeWithoutResult(
                  status -> {
                    notes.insert(new Note(701, "outer"));
                    assertThatThrownBy(
                            () ->
                                nested.executeWithoutResult(
                                    inner -> {
                                      notes.insert(new Note(702, "nested, undone"));
                                      notes.update(new Note(701, "nested edit, undone"));
                                      throw new IllegalStateException("the nested step failed");
                                    }))
                        .hasMessage("the nested step failed");
                    nested.executeWithoutResult(
                        inner -> notes.insert(new Note(703, "nested, committed")));
                    notes.insert(new Note(704, "outer again"));
                  });
              // the pool is wrapped, yet still reachable as itself
              assertThat(context.getBean(DataSource.class).unwrap(HikariDataSource.class))
                  .isNotNull();
            });

    assertThat(deltasAfter(nodes.a(), before))
        .containsExactly("INSERT 701", "INSERT 703", "INSERT 704");
    assertThat(titles(nodes.a(), 701, 704))
        .containsExactly("701 outer", "703 nested, committed", "704 outer again");
    assertSameRowsAfterPull(nodes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void nestedSpringTransactionWithBatchKeepsWhatRanAfterTheRollback(String kind) {
    Nodes nodes = nodes(kind);
    long before = lastSeq(nodes.a());
    spring(nodes.a().db())
        .run(
            context -> {
              SqlSessionTemplate batch =
                  new SqlSessionTemplate(
                      context.getBean(SqlSessionFactory.class), ExecutorType.BATCH);
              mapper(context);
              NoteMapper notes = batch.getMapper(NoteMapper.class);
              TransactionTemplate nested = transactions(context, true);
              transactions(context, false)
                  .executeWithoutResult(
                      status -> {
                        notes.insert(new Note(801, "flushed before"));
                        batch.flushStatements();
                        assertThatThrownBy(
                                () ->
                                    nested.executeWithoutResult(
                                        inner -> {
                                          notes.insert(new Note(802, "flushed inside, undone"));
                                          batch.flushStatements();
                                          // queued: it runs at the commit, after the rollback
                                          notes.insert(new Note(803, "queued"));
                                          throw new IllegalStateException("failed");
                                        }))
                            .hasMessage("failed");
                      });
            });

    assertThat(deltasAfter(nodes.a(), before)).containsExactly("INSERT 801", "INSERT 803");
    assertThat(titles(nodes.a(), 801, 803)).containsExactly("801 flushed before", "803 queued");
    assertSameRowsAfterPull(nodes);
  }

  // --- helpers

  private static ApplicationContextRunner spring(TestDatabase db) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class,
                DataSourceTransactionManagerAutoConfiguration.class,
                TransactionAutoConfiguration.class,
                MybatisAutoConfiguration.class,
                DeltaSyncCaptureAutoConfiguration.class))
        .withPropertyValues(
            "spring.datasource.url=" + db.jdbcUrl(),
            "spring.datasource.username=" + db.user(),
            "spring.datasource.password=" + db.password(),
            "deltasync.node.id=node-a");
  }

  private static NoteMapper mapper(ApplicationContext context) {
    SqlSessionTemplate template = context.getBean(SqlSessionTemplate.class);
    if (!template.getConfiguration().hasMapper(NoteMapper.class)) {
      template.getConfiguration().addMapper(NoteMapper.class);
    }
    return template.getMapper(NoteMapper.class);
  }

  private static TransactionTemplate transactions(ApplicationContext context, boolean nested) {
    TransactionTemplate template =
        new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    if (nested) {
      template.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }
    return template;
  }

  private static Class<? extends Connection> driverConnection(String kind) {
    return switch (kind) {
      case "h2" -> org.h2.jdbc.JdbcConnection.class;
      case "postgresql" -> org.postgresql.jdbc.PgConnection.class;
      default -> org.mariadb.jdbc.Connection.class;
    };
  }

  /** B pulls what A recorded; then both hold the same notes, row for row. */
  private static void assertSameRowsAfterPull(Nodes nodes) {
    nodes.b().node().pull(nodes.a().node());
    assertThat(nodes.b().notes()).isEqualTo(nodes.a().notes());
  }

  private static long lastSeq(TestNode node) {
    return NotesSchema.count(node.db().dataSource(), "SELECT COALESCE(MAX(seq), 0) FROM ds_delta");
  }

  /** The deltas recorded after the seq, each as {@code "KIND id"}. */
  private static List<String> deltasAfter(TestNode node, long seq) {
    List<String> deltas = new ArrayList<>();
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT kind, row_key FROM ds_delta WHERE seq > " + seq + " ORDER BY seq",
        row ->
            deltas.add(
                row.getString(1)
                    + " "
                    + DeltaCodec.decodeRowKey(row.getString(2)).values().get("id")));
    return deltas;
  }

  /** The notes with ids in the range, each as {@code "id title"}. */
  private static List<String> titles(TestNode node, long from, long to) {
    List<String> titles = new ArrayList<>();
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT id, title FROM note WHERE id BETWEEN " + from + " AND " + to + " ORDER BY id",
        row -> titles.add(row.getLong(1) + " " + row.getString(2)));
    return titles;
  }
}
