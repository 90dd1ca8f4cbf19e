package io.deltasync.verify;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.TestNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tables verify cannot or may not compare are refused, naming the table and why. */
class VerifyRefusalsTest {

  private static TestNode hub;
  private static TestNode client;

  @BeforeAll
  static void nodes() {
    hub = TestNode.start("hub", TestDatabases.h2("refusals-hub"));
    client = TestNode.start("node-a", TestDatabases.h2("refusals-a"));
    for (TestNode node : new TestNode[] {hub, client}) {
      node.db().execute("CREATE TABLE loose_log (message VARCHAR(100))");
    }
  }

  @Test
  void refusesATableWithoutAPrimaryKey() {
    Verifier verifier = VerifyFixture.verifier(client, hub, NameFilter.ALL);

    assertThatThrownBy(() -> verifier.verify("loose_log"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("table loose_log has no primary key");
  }

  @Test
  void refusesATableTheNodeDoesNotReplicate() {
    Verifier verifier = VerifyFixture.verifier(client, hub, NameFilter.of("note,ticket", null));

    assertThatThrownBy(() -> verifier.verify("audit_log"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("table audit_log is not replicated by this node");
  }

  @Test
  void theHubRefusesATableItDoesNotReplicate() {
    HubVerifier hubSide =
        new HubVerifier(hub.db().dataSource(), "hub", NameFilter.of(null, "audit_log"));

    assertThatThrownBy(
            () ->
                hubSide.checksums(
                    "node-a", "audit_log", java.util.List.of(KeyRange.bounds(null, null))))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("table audit_log is not replicated");
  }

  @Test
  void reloadRefusesATableWithoutAPrimaryKey() {
    Verifier verifier = VerifyFixture.verifier(client, hub, NameFilter.ALL);

    assertThatThrownBy(() -> verifier.reloadTable("loose_log"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("table loose_log has no primary key");
  }

  @Test
  void reloadRefusesATableTheNodeDoesNotReplicate() {
    Verifier verifier = VerifyFixture.verifier(client, hub, NameFilter.of("note,ticket", null));

    assertThatThrownBy(() -> verifier.reloadTable("audit_log"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("table audit_log is not replicated by this node");
  }

  @Test
  void theHubRefusesToPageATableItDoesNotReplicateOrWithoutAPrimaryKey() {
    Verifier verifier =
        new Verifier(
            client.db().dataSource(),
            "node-a",
            NameFilter.ALL,
            new HubVerifier(hub.db().dataSource(), "hub", NameFilter.of(null, "audit_log")),
            hubSeq -> {});
    HubVerifier hubSide = new HubVerifier(hub.db().dataSource(), "hub", NameFilter.ALL);

    assertThatThrownBy(() -> verifier.reloadTable("audit_log"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("table audit_log is not replicated");
    assertThatThrownBy(() -> hubSide.page("node-a", "loose_log", null, 10))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("table loose_log has no primary key");
  }

  @Test
  void theHubRefusesAPageOfNoRowsOrOfMoreThanItsLimit() {
    HubVerifier hubSide = new HubVerifier(hub.db().dataSource(), "hub", NameFilter.ALL);

    assertThatThrownBy(() -> hubSide.page("node-a", "note", null, 0))
        .isInstanceOf(VerifyException.class)
        .hasMessage("ask for a page of 1 to 100000 rows, but node-a asked for 0");
    assertThatThrownBy(() -> hubSide.page("node-a", "note", null, 100_001))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("but node-a asked for 100001");
  }

  @Test
  void refusesANameThatIsNotAPlainTableName() {
    Verifier verifier = VerifyFixture.verifier(client, hub, NameFilter.ALL);

    assertThatThrownBy(() -> verifier.verify("note; DROP TABLE note"))
        .isInstanceOf(VerifyException.class)
        .hasMessageContaining("table must be a plain name");
  }
}
