package io.deltasync.ship.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.load.LoadException;
import io.deltasync.load.ReverseChoice;
import io.deltasync.load.ReverseChunk;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.HttpLoadSource;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.ReverseRows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reverse load through the shipped routes over real HTTP on loopback: a PostgreSQL hub running
 * {@code http-serve}, a MariaDB client that held rows before sync was enabled joining through
 * {@code http-pull} with {@code deltasync.load.reverse.tables.note=client-wins}, and an H2 node
 * that joined before: all three end with the client's rows where both held a key, every row of
 * either side, in every column. A client with a valid secret cannot reverse-load a table the hub
 * does not replicate: 400 with the reason, nothing written.
 */
class ReverseLoadOverHttpIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private static ShipNode hub;
  private static String url;

  @BeforeAll
  static void startHub() {
    TestDatabase db = TestDatabases.postgres("rev_http_hub");
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    for (String client : new String[] {"node-c", "node-t", "node-x"}) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    properties.put("deltasync.capture.exclude-tables", "payroll");
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    url = "http://localhost:" + hub.port();
    hub.execute("CREATE TABLE payroll (id BIGINT PRIMARY KEY, salary INT)");
    hub.execute("INSERT INTO payroll (id, salary) VALUES (1, 1000)");
    ReverseRows.writeOnHub(hub.writer());
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void aClientWithRowsJoiningThroughThePullRouteWinsAndTheOtherNodeGetsItsRows() {
    TestDatabase thirdDb = TestDatabases.h2("rev-http-third");
    ShipNode third = ShipNode.start("node-t", thirdDb, client("node-t", thirdDb, null));
    ShipNode client = null;
    try {
      awaitEqual(third, NotesSchema.notes(hub.db().dataSource()));
      TestDatabase db = TestDatabases.mariadb("rev_http_client");
      client = ShipNode.prepare("node-c", db, client("node-c", db, "client-wins"));
      ReverseRows.writeOffline(client.writer());
      List<String> expected =
          ReverseRows.merged(
              NotesSchema.notes(hub.db().dataSource()), NotesSchema.notes(db.dataSource()));
      client.startApp();

      for (ShipNode node : List.of(hub, client, third)) {
        awaitEqual(node, expected);
      }
      assertThat(ReverseRows.line(expected, 2)).startsWith("2|client two|client body|");
      for (ShipNode node : List.of(hub, client, third)) {
        Eventually.waitFor(
            WAIT,
            () -> count(node, "SELECT COUNT(*) FROM audit_log WHERE id = 7") == 1,
            () -> node.id() + " lacks the client's audit_log row");
        assertThat(count(node, "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
      }
    } finally {
      third.close();
      if (client != null) {
        client.close();
      }
    }
  }

  @Test
  void aHostileClientCannotReverseLoadATableTheHubDoesNotReplicate() {
    long deltas = count(hub, "SELECT COUNT(*) FROM ds_delta");
    HttpLoadSource source = new HttpLoadSource("hub", url, "node-x", secret("node-x"));
    Row raise =
        new Row(Map.of("id", new Param(ParamType.LONG, 1L), "salary", new Param(ParamType.INT, 9)));

    assertThatThrownBy(
            () ->
                source.reverse(
                    "node-x",
                    new ReverseChunk("payroll", ReverseChoice.CLIENT_WINS, true, List.of(raise))))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("hub answered 400")
        .hasMessageContaining("hub does not replicate a table payroll");

    assertThat(count(hub, "SELECT salary FROM payroll WHERE id = 1")).isEqualTo(1000);
    assertThat(count(hub, "SELECT COUNT(*) FROM ds_delta")).isEqualTo(deltas);
  }

  /** A client pulling from the hub; with a choice for note, audit_log takes hub-wins. */
  private static Map<String, Object> client(String id, TestDatabase db, String noteChoice) {
    Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.upstream-url", url);
    properties.put("deltasync.ship.peers.hub.secret", secret(id));
    properties.put("deltasync.load.chunk-rows", 2);
    properties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/http-push.camel.yaml,"
            + "classpath:deltasync/examples/http-pull.camel.yaml");
    if (noteChoice != null) {
      properties.put("deltasync.load.reverse.default", "hub-wins");
      properties.put("deltasync.load.reverse.tables.note", noteChoice);
    }
    return properties;
  }

  private static void awaitEqual(ShipNode node, List<String> notes) {
    Eventually.waitFor(
        WAIT,
        () -> NotesSchema.notes(node.db().dataSource()).equals(notes),
        () -> node.id() + " holds " + NotesSchema.notes(node.db().dataSource()));
  }

  private static long count(ShipNode node, String sql) {
    return NotesSchema.count(node.db().dataSource(), sql);
  }

  private static String secret(String client) {
    return client + "-and-hub-reverse-secret";
  }
}
