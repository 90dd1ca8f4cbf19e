package io.deltasync.verify;

import io.deltasync.delta.NameFilter;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.time.Duration;
import java.util.List;

/** A client and its hub for verify tests: the client's verifier, and reading both databases. */
final class VerifyFixture {

  static final int CHUNK_ROWS = 40;

  private VerifyFixture() {}

  /** The client's verifier against the hub, in-process, with small ranges. */
  static Verifier verifier(TestNode client, TestNode hub, NameFilter replicated) {
    return new Verifier(
        client.db().dataSource(),
        client.node().nodeId(),
        replicated,
        new HubVerifier(hub.db().dataSource(), hub.node().nodeId(), NameFilter.ALL),
        CatchUp.syncing(client.node(), hub.node(), Duration.ofSeconds(30)),
        CHUNK_ROWS);
  }

  /** The rows differing as (kind, key) texts, e.g. {@code "CHANGED {id=7}"}. */
  static List<String> kinds(VerifyReport report) {
    return report.rows().stream()
        .map(row -> row.kind() + " " + row.table() + " " + row.key().values())
        .sorted()
        .toList();
  }

  /** A note written with plain JDBC, behind DeltaSync's back. */
  static void insertBehindTheBack(TestNode node, long id, String title) {
    node.db()
        .execute(
            "INSERT INTO note (id, title, done, amount) VALUES ("
                + id
                + ", '"
                + title
                + "', FALSE, 1.50)");
  }

  /** Ids of notes on the node, in order. */
  static List<Long> noteIds(TestNode node) {
    return NotesSchema.notes(node.db().dataSource()).stream()
        .map(line -> Long.parseLong(line.substring(0, line.indexOf('|'))))
        .toList();
  }
}
