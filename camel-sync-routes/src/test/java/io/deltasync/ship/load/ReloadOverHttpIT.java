package io.deltasync.ship.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.load.Loader;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.HttpPeer;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.store.DeltaMaintenance;
import io.deltasync.store.PurgePreview;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client running the shipped {@code http-push} and {@code http-pull} routes is stopped while its
 * PostgreSQL hub takes another client's inserts, updates and deletes and then purges them by force;
 * the stopped client writes notes of its own meanwhile. When it starts again the hub refuses its
 * pull with 410, naming the gap: with {@code deltasync.load.reload=auto} the client reloads over
 * HTTP at once; with {@code manual} it pulls nothing until an operator calls {@link
 * Loader#reload()}. Either way it ends equal to the hub and the other client, its offline writes
 * kept and pushed, the rows deleted while it was away gone.
 */
class ReloadOverHttpIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private static ShipNode hub;
  private static String url;
  private static TestNode writer;
  private static HttpPeer writerPeer;

  @BeforeAll
  static void startHub() {
    TestDatabase db = TestDatabases.postgres("reload_http_hub");
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    for (String client : new String[] {"node-w", "node-r", "node-q"}) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    url = "http://localhost:" + hub.port();
    writer = TestNode.start("node-w", TestDatabases.h2("reload-http-w")).withUpstream("hub");
    writerPeer = new HttpPeer("hub", url, "node-w", secret("node-w"));
    write(writer, 1, 20, "first");
    writer.node().sync(writerPeer);
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void aClientBackAfterAPurgeReloadsAutomatically() {
    ShipNode client = offlinePastAPurge("node-r", "auto", 1_000);
    try {
      client.startApp();

      awaitEqualToHub(client);
      assertThat(reasons(client))
          .anyMatch(reason -> reason.startsWith("reload needed, automatic: node-r cannot continue"))
          .anyMatch(reason -> reason.startsWith("reloaded from a snapshot of hub"));
      assertConverged(client, 1_000);
    } finally {
      client.close();
    }
  }

  @Test
  void aHeldClientPullsNothingUntilAnOperatorReloadsIt() throws InterruptedException {
    ShipNode client = offlinePastAPurge("node-q", "manual", 2_000);
    try {
      client.startApp();

      Eventually.waitFor(
          WAIT,
          () -> count(client.db(), "SELECT COUNT(*) FROM ds_reload WHERE state = 'HELD'") == 1,
          () -> "node-q is not held");
      Loader loader = client.app().getBean(Loader.class);
      assertThat(loader.held())
          .hasValueSatisfying(
              why -> assertThat(why).contains("hub purged").contains("node-q must reload"));
      long pointer = client.pointers("hub").lastProcessed();
      Thread.sleep(1_500);
      assertThat(client.pointers("hub").lastProcessed())
          .as("held: nothing pulled")
          .isEqualTo(pointer);
      assertThat(ids(client)).as("not reloaded yet").contains(2_000L);

      loader.reload();

      awaitEqualToHub(client);
      assertConverged(client, 2_000);
    } finally {
      client.close();
    }
  }

  /**
   * A new client joins through the routes and catches up, is stopped, writes notes of its own while
   * stopped; meanwhile the writer inserts, updates and deletes notes (ids from {@code base}) and
   * the hub purges by force what the client had not acknowledged.
   */
  private static ShipNode offlinePastAPurge(String id, String reload, long base) {
    write(writer, base, base + 4, "shared");
    writer.node().sync(writerPeer);
    TestDatabase db = TestDatabases.h2("reload-http-" + id);
    Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.upstream-url", url);
    properties.put("deltasync.ship.peers.hub.secret", secret(id));
    properties.put("deltasync.load.reload", reload);
    properties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/http-pull.camel.yaml,"
            + "classpath:deltasync/examples/http-push.camel.yaml");
    ShipNode client = ShipNode.start(id, db, properties);
    awaitEqualToHub(client);
    client.stopApp();

    write(client.writer(), base + 100, base + 102, "offline");
    writer.inTransaction(notes -> notes.delete(base));
    writer.inTransaction(notes -> notes.update(new Note(base + 1, "changed while away")));
    write(writer, base + 50, base + 50, "new while away");
    writer.node().sync(writerPeer);
    DeltaMaintenance maintenance = new DeltaMaintenance(hub.db().dataSource(), hub.store());
    PurgePreview preview = maintenance.previewPurgeOlderThan(Instant.now().plusSeconds(1));
    assertThat(preview.stillNeededBy())
        .as("%s of %s", preview, hub.store().allPointers())
        .containsKey(id);
    maintenance.purge(preview, true);
    return client;
  }

  /** The client holds the hub's notes, and no load or reload of it is under way. */
  private static void awaitEqualToHub(ShipNode client) {
    Eventually.waitFor(
        WAIT,
        () ->
            count(client.db(), "SELECT COUNT(*) FROM ds_reload") == 0
                && count(client.db(), "SELECT COUNT(*) FROM ds_load") > 0
                && count(client.db(), "SELECT COUNT(*) FROM ds_load WHERE state <> 'DONE'") == 0
                && client.writer().notes().equals(hub.writer().notes()),
        () -> client.id() + " holds " + ids(client) + ", the hub " + ids(hub));
  }

  private static void assertConverged(ShipNode client, long base) {
    writer.node().sync(writerPeer);
    assertThat(client.writer().notes()).containsExactlyElementsOf(hub.writer().notes());
    assertThat(writer.notes()).containsExactlyElementsOf(hub.writer().notes());
    assertThat(ids(hub))
        .as("written offline, kept by the reload and pushed")
        .contains(base + 100, base + 101, base + 102, base + 50)
        .as("deleted while away, by a delta purged since")
        .doesNotContain(base);
    for (TestDatabase db : List.of(hub.db(), client.db(), writer.db())) {
      assertThat(count(db, "SELECT COUNT(*) - COUNT(DISTINCT delta_id) FROM ds_delta")).isZero();
      assertThat(count(db, "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
    }
  }

  private static List<String> reasons(ShipNode node) {
    return node.store().rebases(10).stream().map(rebase -> rebase.reason()).toList();
  }

  private static void write(TestNode node, long from, long to, String title) {
    for (long id = from; id <= to; id++) {
      long note = id;
      node.inTransaction(notes -> notes.insert(new Note(note, title + " " + note)));
    }
  }

  private static List<Long> ids(ShipNode node) {
    return node.writer().notes().stream()
        .map(line -> Long.parseLong(line.substring(0, line.indexOf('|'))))
        .toList();
  }

  private static long count(TestDatabase db, String sql) {
    return NotesSchema.count(db.dataSource(), sql);
  }

  private static String secret(String client) {
    return client + "-and-hub-reload-secret";
  }
}
