package io.deltasync.ship.shop;

import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.ship.support.HttpPeer;
import io.deltasync.ship.support.Settling;
import io.deltasync.testing.NotesSchema;
import java.util.Properties;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * A shop client configured only as the README shows a client: the plugin with its {@code nodeId}
 * and {@code upstream}, a {@code SyncNode} over the same data source, and the hub over HTTP ({@link
 * HttpPeer}, the hub's real endpoints). It runs no routes: the workload pushes and pulls when it
 * chooses. Not thread-safe; one thread per client.
 */
final class ShopClient implements Settling.Client {

  private final TestDatabase db;
  private final ShopApp app;
  private final SyncNode node;
  private final HttpPeer hub;

  private ShopClient(TestDatabase db, ShopApp app, SyncNode node, HttpPeer hub) {
    this.db = db;
    this.app = app;
    this.node = node;
    this.hub = hub;
  }

  /**
   * Installs DeltaSync's tables and the shop's on the database and connects the client to the hub.
   *
   * @param hubUrl the hub's base URL
   * @param secret the secret the client and the hub share
   */
  static ShopClient start(String id, TestDatabase db, String hubUrl, String secret) {
    db.migrate();
    ShopSchema.install(db);
    Properties plugin = new Properties();
    plugin.setProperty("nodeId", id);
    plugin.setProperty("upstream", "hub");
    DeltaSyncInterceptor interceptor = new DeltaSyncInterceptor();
    interceptor.setProperties(plugin);
    Configuration configuration =
        new Configuration(new Environment("shop", new JdbcTransactionFactory(), db.dataSource()));
    configuration.addInterceptor(interceptor);
    configuration.addMapper(ShopMapper.class);
    ShopApp app = new ShopApp(id, new SqlSessionFactoryBuilder().build(configuration));
    return new ShopClient(
        db,
        app,
        new SyncNode(id, db.dataSource(), NameFilter.ALL),
        new HttpPeer("hub", hubUrl, id, secret));
  }

  @Override
  public String id() {
    return app.nodeId();
  }

  TestDatabase db() {
    return db;
  }

  /** The shop application on this client. */
  ShopApp app() {
    return app;
  }

  @Override
  public SyncNode syncNode() {
    return node;
  }

  /** Pushes everything the hub has not acknowledged, over HTTP; returns how many deltas went. */
  @Override
  public int push() {
    return node.push(hub);
  }

  /** Pulls and applies everything new on the hub, over HTTP; returns how many deltas applied. */
  @Override
  public int pull() {
    return node.pull(hub);
  }

  /**
   * Pulls and applies at most a few batches, over HTTP: while the hub's back office writes faster
   * than this client fetches, a pull of everything would not end.
   */
  int pullSome() {
    return node.pull(hub, 4);
  }

  /** How many deltas this client quarantined or failed to apply. */
  long deadLetters() {
    return NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM ds_dead_letter");
  }

  @Override
  public String toString() {
    return id() + " (" + db.kind() + ")";
  }
}
