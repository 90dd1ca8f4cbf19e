package io.deltasync.ship.support;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.ibatis.session.SqlSession;

/**
 * A client of the conflict tests: its own database with the {@link PolicyTables}, MyBatis capture
 * whose deltas carry their basis from the hub, and the hub over HTTP ({@link HttpPeer}). It runs no
 * routes: a test pushes and pulls when it chooses. Not thread-safe; one thread per client.
 */
public final class PolicyClient implements Settling.Client {

  private final String id;
  private final TestDatabase db;
  private final TestNode node;
  private final HttpPeer hub;

  private PolicyClient(String id, TestDatabase db, TestNode node, HttpPeer hub) {
    this.id = id;
    this.db = db;
    this.node = node;
    this.hub = hub;
  }

  /**
   * Installs the schemas on the database and connects the client to the hub.
   *
   * @param hubUrl the hub's base URL
   * @param secret the secret the client and the hub share
   */
  public static PolicyClient start(String id, TestDatabase db, String hubUrl, String secret) {
    PolicyTables.install(db);
    TestNode node =
        TestNode.start(
            db, new CaptureSettings(id, "hub", NameFilter.ALL, NameFilter.ALL, Set.of()));
    node.sessions().getConfiguration().addMapper(PolicyRowMapper.class);
    return new PolicyClient(id, db, node, new HttpPeer("hub", hubUrl, id, secret));
  }

  @Override
  public String id() {
    return id;
  }

  public TestDatabase db() {
    return db;
  }

  /** The client's node facade over its database. */
  @Override
  public SyncNode syncNode() {
    return node.node();
  }

  /** Runs the work in one committed MyBatis transaction, captured. */
  public void inTransaction(Consumer<PolicyRowMapper> work) {
    try (SqlSession session = node.sessions().openSession()) {
      work.accept(session.getMapper(PolicyRowMapper.class));
      session.commit();
    }
  }

  /** Pushes everything the hub has not acknowledged, over HTTP; returns how many deltas went. */
  @Override
  public int push() {
    return node.node().push(hub);
  }

  /** Pulls and applies everything new on the hub, over HTTP; returns how many deltas applied. */
  @Override
  public int pull() {
    return node.node().pull(hub);
  }

  /** The table's rows, as {@link PolicyTables#dump} gives them. */
  public List<String> dump(String table) {
    return PolicyTables.dump(db.dataSource(), table);
  }

  /** How many deltas this client quarantined or failed to apply. */
  public long deadLetters() {
    return NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM ds_dead_letter");
  }

  @Override
  public String toString() {
    return id + " (" + db.kind() + ")";
  }
}
