package io.deltasync.ship.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.load.HubReloads;
import io.deltasync.load.TableReloadRequest;
import io.deltasync.schema.TestDatabase;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.NotesSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * What a hub's table reload request ({@link HubReloads#requestTable}) does to a client, whatever
 * carries it ({@link TableReloadOverHttpIT}, {@link TableReloadOverQueuesIT}): the client reloads
 * the one table while the hub's deltas keep coming and reports it done, or says why it cannot.
 */
final class TableReloadScenarios {

  static final Duration WAIT = Duration.ofSeconds(90);

  private final ShipNode hub;
  private final HubReloads reloads;
  private final BiConsumer<Long, Long> write;

  /**
   * @param write writes the notes with ids from one id to another (inclusive) so that they reach
   *     every client as the hub's deltas
   */
  TableReloadScenarios(ShipNode hub, BiConsumer<Long, Long> write) {
    this.hub = hub;
    this.reloads = hub.app().getBean(HubReloads.class);
    this.write = write;
  }

  /** Rows the hub holds before any client joined: a client gets them by its initial load. */
  static void seedAuditLog(TestDatabase hubDb) throws SQLException {
    try (Connection connection = hubDb.dataSource().getConnection();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO audit_log (id, message) VALUES (?, ?)")) {
      for (long id = 1; id <= 10; id++) {
        insert.setLong(1, id);
        insert.setString(2, "entry " + id);
        insert.executeUpdate();
      }
    }
  }

  HubReloads reloads() {
    return reloads;
  }

  /**
   * The client, its note and audit_log tables damaged behind DeltaSync's back, is asked to reload
   * note and ends with the hub's rows there, its audit_log as it was, no load opened and its
   * pointer moved on with the hub's deltas (notes {@code base} to {@code base + 19}, written
   * meanwhile).
   */
  void reloadsTheTableItIsAskedFor(ShipNode client, long base) {
    String id = client.id();
    awaitNotesEqualToHub(client);
    assertThat(NotesSchema.count(client.db().dataSource(), "SELECT COUNT(*) FROM audit_log"))
        .as("loaded when it joined")
        .isEqualTo(10);
    List<String> loads = loadIds(client);
    long pointer = client.pointers(hub.id()).lastProcessed();
    // behind DeltaSync's back: rows lost, changed and added in both tables
    client.execute("DELETE FROM note WHERE id <= 120");
    client.execute("UPDATE note SET title = 'damaged' WHERE id = 200");
    client.execute(
        "INSERT INTO note (id, title, done, amount) VALUES ("
            + (base + 999)
            + ", 'stray', FALSE, 1.50)");
    client.execute("DELETE FROM audit_log WHERE id <= 3");

    assertThat(reloads.requestTable(id, "NOTE", "operator (test)")).isTrue();
    assertThat(reloads.requestTable(id, "note", "operator (test)")).as("due already").isFalse();
    write.accept(base, base + 19); // the hub's deltas keep coming while the client reloads

    Eventually.waitFor(
        WAIT,
        () -> requestsOf(id).isEmpty(),
        () -> id + " has not reported its reload: " + requestsOf(id));
    awaitNotesEqualToHub(client);
    assertThat(
            NotesSchema.count(
                client.db().dataSource(), "SELECT COUNT(*) FROM note WHERE id = " + (base + 999)))
        .as("a row the hub does not hold is deleted")
        .isZero();
    assertThat(NotesSchema.count(client.db().dataSource(), "SELECT COUNT(*) FROM audit_log"))
        .as("a table it was not asked to reload is left as it was")
        .isEqualTo(7);
    assertThat(loadIds(client)).as("no load: the pointer stays").isEqualTo(loads);
    assertThat(client.pointers(hub.id()).lastProcessed())
        .as("moved on with the hub's deltas, never back")
        .isGreaterThan(pointer);
    assertThat(NotesSchema.count(client.db().dataSource(), "SELECT COUNT(*) FROM ds_dead_letter"))
        .isZero();
  }

  /**
   * The client, which does not replicate audit_log, is asked to reload it: it reports why it
   * cannot, the hub keeps the request as failed and tells it no more, and the client keeps taking
   * the hub's deltas (notes {@code base} to {@code base + 4}); withdrawn, the request is gone.
   */
  void aClientThatCannotReloadTheTableSaysWhy(ShipNode client, long base) {
    String id = client.id();
    awaitNotesEqualToHub(client);

    assertThat(reloads.requestTable(id, "audit_log", "operator (test)")).isTrue();

    Eventually.waitFor(
        WAIT,
        () -> requestsOf(id).stream().anyMatch(TableReloadRequest::failed),
        () -> id + " reported nothing: " + requestsOf(id));
    TableReloadRequest failed = requestsOf(id).get(0);
    assertThat(failed.table()).isEqualTo("audit_log");
    assertThat(failed.error()).contains("table audit_log is not replicated by this node");
    assertThat(reloads.tableReloadsDue(id)).as("not told again").isEmpty();
    write.accept(base, base + 4);
    awaitNotesEqualToHub(client); // the hub's deltas kept coming

    assertThat(reloads.cancelTable(id, "audit_log")).isTrue();
    assertThat(requestsOf(id)).isEmpty();
  }

  List<TableReloadRequest> requestsOf(String peer) {
    return reloads.tableReloads().stream().filter(r -> r.peer().equals(peer)).toList();
  }

  void awaitNotesEqualToHub(ShipNode client) {
    Eventually.waitFor(
        WAIT,
        () -> client.writer().notes().equals(hub.writer().notes()),
        () ->
            client.id()
                + " holds "
                + client.writer().notes().size()
                + " notes, the hub "
                + hub.writer().notes().size());
  }

  private static List<String> loadIds(ShipNode client) {
    List<String> ids = new ArrayList<>();
    NotesSchema.query(
        client.db().dataSource(),
        "SELECT load_id FROM ds_load ORDER BY table_name",
        row -> ids.add(row.getString(1)));
    return ids;
  }
}
