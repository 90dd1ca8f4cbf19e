package io.deltasync.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Node A (H2) runs a mixed workload through MyBatis; node B, on H2, PostgreSQL or MariaDB, pulls
 * and applies it; both then hold the same rows.
 */
class TwoNodeSyncIT {

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of("h2", (Function<String, TestDatabase>) TestDatabases::h2),
        Arguments.of("postgresql", (Function<String, TestDatabase>) TestDatabases::postgres),
        Arguments.of("mariadb", (Function<String, TestDatabase>) TestDatabases::mariadb));
  }

  @ParameterizedTest(name = "H2 to {0}")
  @MethodSource("targets")
  void pulledWorkloadLeavesBothNodesRowForRowEqual(
      String kind, Function<String, TestDatabase> database) {
    TestNode a = TestNode.start("node-a", TestDatabases.h2("two-node-a"));
    TestNode b = TestNode.start("node-b", database.apply("two_node_b"));
    Workload workload = new Workload(20261122L, 1, true).run(a, 1_200);

    int applied = b.node().pull(a.node());

    assertThat(workload.committedStatements()).isGreaterThanOrEqualTo(1_200);
    assertThat(workload.rolledBackTransactions()).isPositive();
    assertThat(workload.batchTransactions()).isPositive();
    assertThat(applied).isEqualTo(a.deltaCount()).isGreaterThan(1_000);
    assertThat(b.notes()).isNotEmpty().containsExactlyElementsOf(a.notes());
    assertThat(NotesSchema.tickets(b.db().dataSource()))
        .isNotEmpty()
        .containsExactlyElementsOf(NotesSchema.tickets(a.db().dataSource()));
    assertThat(b.node().store().pointers("node-a").lastProcessed())
        .isEqualTo(a.node().store().lastSeq());

    assertThat(b.node().pull(a.node())).isZero();
    assertThat(b.notes()).containsExactlyElementsOf(a.notes());
  }
}
