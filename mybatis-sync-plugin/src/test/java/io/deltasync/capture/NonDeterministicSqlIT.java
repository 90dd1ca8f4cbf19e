package io.deltasync.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.delta.Delta;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.internal.NonDeterministicCalls;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statements calling now(), current_timestamp, random values and sequences leave every node with
 * the origin's values on H2, PostgreSQL and MariaDB; one that does not pin its row is refused
 * unless the statement is listed to be evaluated on each node.
 */
class NonDeterministicSqlIT {

  /** Each database's spelling of the table, a clock, a random number, a UUID and a sequence. */
  private record Dialect(String timestamp, String random, String uuid, String nextOrderNo) {}

  private static final Map<String, Dialect> DIALECTS =
      Map.of(
          "h2",
          new Dialect(
              "TIMESTAMP(6)",
              "RAND()",
              "CAST(RANDOM_UUID() AS VARCHAR(40))",
              "NEXT VALUE FOR order_seq"),
          "postgresql",
          new Dialect(
              "TIMESTAMP(6)",
              "random()",
              "CAST(gen_random_uuid() AS VARCHAR(40))",
              "nextval('order_seq')"),
          "mariadb",
          new Dialect("DATETIME(6)", "rand()", "uuid()", "NEXTVAL(order_seq)"));

  private static final String MAPPER =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <!DOCTYPE mapper PUBLIC "-//mybatis.org//DTD Mapper 3.0//EN"
        "https://mybatis.org/dtd/mybatis-3-mapper.dtd">
      <mapper namespace="nondet.Items">
        <insert id="insertNow">
          INSERT INTO item (id, name, qty, updated) VALUES (#{id}, #{name}, 1, now())
        </insert>
        <update id="touch">
          UPDATE item SET qty = qty + 1, updated = CURRENT_TIMESTAMP WHERE id = #{id}
        </update>
        <update id="shuffle">
          UPDATE item SET score = $RANDOM WHERE id = #{id}
        </update>
        <update id="stamp">
          UPDATE item SET token = $UUID WHERE id = #{id}
        </update>
        <insert id="insertNumbered">
          INSERT INTO item (id, name, qty, order_no, token)
          VALUES (#{id}, #{name}, 0, $NEXTVAL, $UUID)
        </insert>
        <delete id="deleteStale">
          DELETE FROM item WHERE id = #{id} AND updated &lt;= CURRENT_TIMESTAMP
        </delete>
        <update id="touchAll">
          UPDATE item SET updated = now() WHERE qty &gt; #{qty}
        </update>
        <update id="renameAll">
          UPDATE item SET name = 'now()' WHERE qty &gt; #{qty}
        </update>
      </mapper>
      """;

  static Stream<Arguments> databases() {
    return Stream.of(
        Arguments.of("h2", (Function<String, TestDatabase>) TestDatabases::h2),
        Arguments.of("postgresql", (Function<String, TestDatabase>) TestDatabases::postgres),
        Arguments.of("mariadb", (Function<String, TestDatabase>) TestDatabases::mariadb));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void pinnedRowsArriveWithTheOriginsValues(String kind, Function<String, TestDatabase> db) {
    TestNode a = node("node-a", db.apply("nondet_a"), List.of());
    TestNode b = node("node-b", db.apply("nondet_b"), List.of());

    try (SqlSession session = a.sessions().openSession()) {
      session.insert("nondet.Items.insertNow", Map.of("id", 1, "name", "one"));
      session.insert("nondet.Items.insertNow", Map.of("id", 2, "name", "two"));
      session.update("nondet.Items.touch", Map.of("id", 1));
      session.update("nondet.Items.shuffle", Map.of("id", 1));
      session.update("nondet.Items.stamp", Map.of("id", 2));
      session.insert("nondet.Items.insertNumbered", Map.of("id", 3, "name", "three"));
      session.insert("nondet.Items.insertNumbered", Map.of("id", 4, "name", "four"));
      session.insert("nondet.Items.insertNow", Map.of("id", 5, "name", "five"));
      session.delete("nondet.Items.deleteStale", Map.of("id", 5));
      session.commit();
    }

    List<Delta> deltas = a.node().store().pendingFor("node-b", 0, 100).deltas();
    assertThat(deltas).hasSize(9);
    assertThat(deltas).allSatisfy(d -> assertThat(NonDeterministicCalls.in(d.sql())).isEmpty());
    assertThat(deltas.get(2).sql())
        .isEqualTo("UPDATE item SET qty = qty + 1, updated = ? WHERE id = ?");
    assertThat(deltas.get(8).sql()).isEqualTo("DELETE FROM item WHERE id = ?");

    b.node().pull(a.node());

    List<String> rows = items(a.db());
    assertThat(rows).hasSize(4).noneMatch(row -> row.contains("|null|null|null|null"));
    assertThat(items(b.db())).isEqualTo(rows);
    Set<String> orderNumbers = new HashSet<>();
    for (String row : rows.subList(2, 4)) {
      orderNumbers.add(row.split("\\|")[5]);
    }
    assertThat(orderNumbers).hasSize(2).doesNotContain("null");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aStatementThatDoesNotPinItsRowIsRefusedBeforeItRuns(
      String kind, Function<String, TestDatabase> db) {
    TestNode a = node("node-a", db.apply("refused_a"), List.of());
    try (SqlSession session = a.sessions().openSession()) {
      session.insert("nondet.Items.insertNow", Map.of("id", 1, "name", "one"));
      session.commit();
    }
    List<String> before = items(a.db());

    try (SqlSession session = a.sessions().openSession()) {
      assertThatThrownBy(() -> session.update("nondet.Items.touchAll", Map.of("qty", 0)))
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining("Statement nondet.Items.touchAll calls now")
          .hasMessageContaining("does not pin one row by its primary key [id]")
          .hasMessageContaining("evaluateOnEachNode");
      session.rollback();
    }

    assertThat(items(a.db())).isEqualTo(before);
    assertThat(a.deltaCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aListedStatementIsEvaluatedOnEachNodeThatAllowsTheFunction(
      String kind, Function<String, TestDatabase> db) {
    TestNode a = node("node-a", db.apply("each_a"), List.of("nondet.Items.touch*"));
    TestNode b = node("node-b", db.apply("each_b"), List.of());
    try (SqlSession session = a.sessions().openSession()) {
      session.insert("nondet.Items.insertNow", Map.of("id", 1, "name", "one"));
      session.update("nondet.Items.touchAll", Map.of("qty", 0));
      session.update("nondet.Items.renameAll", Map.of("qty", 0));
      session.commit();
    }

    List<Delta> deltas = a.node().store().pendingFor("node-b", 0, 100).deltas();
    assertThat(deltas)
        .extracting(Delta::sql)
        .contains(
            "UPDATE item SET updated = now() WHERE qty > ?",
            "UPDATE item SET name = 'now()' WHERE qty > ?");

    // a receiver refuses the call unless it allows it, since it would evaluate it itself
    Set<String> withNow = new HashSet<>(DeltaValidator.DEFAULT_FUNCTIONS);
    withNow.add("now");
    DeltaApplier applier =
        new DeltaApplier(
            b.db().dataSource(), "node-b", new DeltaValidator(NameFilter.ALL, withNow));
    new SyncNode(b.node().store(), applier, SyncNode.DEFAULT_BATCH_SIZE).pull(a.node());

    assertThat(items(b.db())).extracting(row -> row.split("\\|")[1]).containsExactly("now()");
  }

  private static TestNode node(String id, TestDatabase db, List<String> evaluateOnEachNode) {
    TestNode node =
        TestNode.start(
            db,
            new CaptureSettings(
                id, null, NameFilter.ALL, NameFilter.ALL, Set.of(), evaluateOnEachNode));
    Dialect dialect = DIALECTS.get(db.kind());
    db.execute(
        "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(100), qty INT, updated "
            + dialect.timestamp()
            + ", score DOUBLE PRECISION, token VARCHAR(40), order_no BIGINT)",
        "CREATE SEQUENCE order_seq START WITH 100");
    String xml =
        MAPPER
            .replace("$RANDOM", dialect.random())
            .replace("$UUID", dialect.uuid())
            .replace("$NEXTVAL", dialect.nextOrderNo());
    Configuration configuration = node.sessions().getConfiguration();
    new XMLMapperBuilder(
            new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
            configuration,
            "nondet-items.xml",
            configuration.getSqlFragments())
        .parse();
    return node;
  }

  private static List<String> items(TestDatabase db) {
    List<String> rows = new ArrayList<>();
    NotesSchema.query(
        db.dataSource(),
        "SELECT id, name, qty, updated, score, order_no, token FROM item ORDER BY id",
        row -> {
          List<String> values = new ArrayList<>();
          for (int column = 1; column <= 7; column++) {
            values.add(String.valueOf(row.getString(column)));
          }
          rows.add(String.join("|", values));
        });
    return rows;
  }
}
