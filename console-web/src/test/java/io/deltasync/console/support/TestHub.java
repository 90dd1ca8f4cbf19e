package io.deltasync.console.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.conflict.ConflictStatus;
import io.deltasync.conflict.Conflicts;
import io.deltasync.console.demo.DemoMapper;
import io.deltasync.console.demo.DemoSystem;
import io.deltasync.node.SyncNode;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The demo's topology for tests: a hub running the console (on H2 or PostgreSQL) and clients node-a
 * and node-b on H2, syncing over HTTP, but with no generator: tests write what they need. Users
 * {@code admin} (ADMIN, {@link DemoSystem#password()}) and {@code viewer} (VIEWER, {@link
 * #VIEWER_PASSWORD}).
 */
public record TestHub(DemoSystem system) implements AutoCloseable {

  /** The password of user viewer. */
  public static final String VIEWER_PASSWORD = "viewer-password";

  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * Starts the hub and its clients.
   *
   * @param hubDatabase the hub's JDBC URL, user and password
   * @param hazelcastPort the hub's Hazelcast port, distinct per test class
   */
  public static TestHub start(String name, List<String> hubDatabase, int hazelcastPort) {
    return start(name, hubDatabase, hazelcastPort, Map.of());
  }

  /** Starts the hub, with more hub properties, and its clients. */
  public static TestHub start(
      String name, List<String> hubDatabase, int hazelcastPort, Map<String, Object> more) {
    Map<String, Object> hub = new HashMap<>();
    hub.put("server.port", 0);
    hub.put("deltasync.cluster.port", hazelcastPort);
    hub.put("deltasync.cluster.port-auto-increment", "false");
    hub.put("deltasync.console.users.viewer.password", VIEWER_PASSWORD);
    hub.put("deltasync.console.users.viewer.role", "VIEWER");
    hub.put("deltasync.console.lag-sample-interval", "1s");
    hub.put("logging.level.com.hazelcast", "WARN");
    hub.putAll(more);
    return new TestHub(DemoSystem.start(0, hubDatabase, hub, name));
  }

  public int port() {
    return system.port();
  }

  /** A browser logged in as admin. */
  public Browser admin() {
    return Browser.loggedIn(port(), "admin", system.password());
  }

  /** A browser logged in as viewer. */
  public Browser viewer() {
    return Browser.loggedIn(port(), "viewer", VIEWER_PASSWORD);
  }

  public DemoMapper a() {
    return DemoSystem.mapper(system.a());
  }

  public DemoMapper b() {
    return DemoSystem.mapper(system.b());
  }

  /** The hub's database. */
  public JdbcTemplate hubDb() {
    return new JdbcTemplate(system.hub().getBean(DataSource.class));
  }

  /** A client's database. */
  public static JdbcTemplate db(ConfigurableApplicationContext node) {
    return new JdbcTemplate(node.getBean(DataSource.class));
  }

  public SyncNode hubNode() {
    return system.hub().getBean(SyncNode.class);
  }

  public Conflicts conflicts() {
    return system.hub().getBean(Conflicts.class);
  }

  /** Adds a to-do on node-a and waits until node-b has it through the hub. */
  public void addTodoEverywhere(long id, String title) {
    a().addTodo(id, title, LocalDateTime.now());
    await("to-do " + id + " on node-b", () -> count(db(system.b()), "todo", id) == 1);
  }

  /** Adds a note on node-a and waits until the hub and node-b have it. */
  public void addNoteEverywhere(long id) {
    a().addNote(id, "Note " + id, "node-a");
    await("note " + id + " on node-b", () -> count(db(system.b()), "note", id) == 1);
  }

  /**
   * Makes node-b edit a note that node-a edited first, without having seen node-a's edit: the hub's
   * policy for note is manual, so it parks a conflict.
   *
   * @return the conflict's id
   */
  public long conflictOnNote(long id) throws Exception {
    long open = conflicts().count(ConflictStatus.OPEN);
    CamelContext b = system.b().getBean(CamelContext.class);
    b.getRouteController().stopRoute("deltasync-http-pull");
    b.getRouteController().stopRoute("deltasync-http-push");
    a().editNote(id, "edited on node-a", "node-a");
    await(
        "node-a's edit at the hub",
        () ->
            "edited on node-a"
                .equals(
                    hubDb()
                        .queryForObject("SELECT body FROM note WHERE id = ?", String.class, id)));
    b().editNote(id, "edited on node-b", "node-b");
    b.getRouteController().startRoute("deltasync-http-push");
    await("a parked conflict", () -> conflicts().count(ConflictStatus.OPEN) > open);
    b.getRouteController().startRoute("deltasync-http-pull");
    return conflicts().list(ConflictStatus.OPEN, 1).get(0).id();
  }

  /**
   * Adds a to-do on node-a that only the hub's check constraint refuses: a FAILED dead letter at
   * the hub.
   *
   * @return the dead letter's id
   */
  public long deadLetter(long todoId) {
    a().addTodo(todoId, "To-do " + todoId + " (refused by the hub)", LocalDateTime.now());
    await(
        "a dead letter",
        () -> count(hubDb(), "SELECT COUNT(*) FROM ds_dead_letter WHERE status = 'FAILED'") > 0);
    return hubDb()
        .queryForObject("SELECT MAX(id) FROM ds_dead_letter WHERE status = 'FAILED'", Long.class);
  }

  /** How many rows of the table have the id. */
  public static long count(JdbcTemplate db, String table, long id) {
    return count(db, "SELECT COUNT(*) FROM " + table + " WHERE id = " + id);
  }

  /** A number from a query. */
  public static long count(JdbcTemplate db, String sql) {
    Long count = db.queryForObject(sql, Long.class);
    return count == null ? 0 : count;
  }

  /** Waits until the condition holds, failing with what was awaited. */
  public static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        assertThat(condition.getAsBoolean()).as("waited %s for %s", WAIT, what).isTrue();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    system.close();
  }
}
