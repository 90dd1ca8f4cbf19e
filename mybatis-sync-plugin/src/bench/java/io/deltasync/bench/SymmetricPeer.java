package io.deltasync.bench;

import io.deltasync.schema.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Properties;
import org.jumpmind.symmetric.ClientSymmetricEngine;
import org.jumpmind.symmetric.model.NodeGroup;
import org.jumpmind.symmetric.model.NodeGroupLink;
import org.jumpmind.symmetric.model.Router;
import org.jumpmind.symmetric.model.Trigger;
import org.jumpmind.symmetric.model.TriggerRouter;

/**
 * SymmetricDS as the capture benchmark's trigger-based peer: a root node on its own database with
 * every job off and one trigger on {@code item}, so that each change of the table writes a {@code
 * sym_data} row in the changing transaction, which is all SymmetricDS does synchronously.
 */
final class SymmetricPeer implements AutoCloseable {

  private final ClientSymmetricEngine engine;
  private final HikariDataSource pool;

  private SymmetricPeer(ClientSymmetricEngine engine, HikariDataSource pool) {
    this.engine = engine;
    this.pool = pool;
  }

  /** Installs SymmetricDS's tables in the database and a trigger on its {@code item} table. */
  static SymmetricPeer install(TestDatabase db) {
    Properties properties = new Properties();
    properties.setProperty("engine.name", "bench-" + db.kind());
    properties.setProperty("group.id", "root");
    properties.setProperty("external.id", "root");
    properties.setProperty("sync.url", "http://localhost:31415/sync/bench-" + db.kind());
    properties.setProperty("registration.url", "");
    properties.setProperty("auto.config.database", "true");
    properties.setProperty("auto.sync.triggers.at.startup", "false");
    properties.setProperty("heartbeat.sync.on.startup", "false");
    for (String job :
        new String[] {
          "routing", "pull", "push", "purge.outgoing", "purge.incoming", "heartbeat",
          "synctriggers", "sync.config", "stat.flush", "watchdog", "stage.management",
          "initial.load.extract", "initial.load.queue", "refresh.cache", "offline.pull", "offline.push", "log.miner",
          "monitor", "file.sync.tracker", "file.sync.pull", "file.sync.push"
        }) {
      properties.setProperty("start." + job + ".job", "false");
    }
    // its own pool, as a deployed SymmetricDS has: it leaves session variables on its connections
    // (MariaDB's @sync_triggers_disabled) that would switch its triggers off for the workload's
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(db.jdbcUrl());
    pool.setUsername(db.user());
    pool.setPassword(db.password());
    pool.setMaximumPoolSize(4);
    ClientSymmetricEngine engine = new ClientSymmetricEngine(pool, properties, false);
    engine.setup();
    engine.start();
    NodeGroupLink link = new NodeGroupLink("root", "client");
    engine.getConfigurationService().saveNodeGroup(new NodeGroup("client"));
    engine.getConfigurationService().saveNodeGroupLink(link);
    Router router = new Router("root-to-client", link);
    engine.getTriggerRouterService().saveRouter(router);
    Trigger trigger = new Trigger(db.kind().equals("h2") ? "ITEM" : "item", "default");
    trigger.setTriggerId("item");
    engine.getTriggerRouterService().saveTrigger(trigger);
    engine.getTriggerRouterService().saveTriggerRouter(new TriggerRouter(trigger, router));
    engine.getTriggerRouterService().clearCache();
    engine.syncTriggers();
    return new SymmetricPeer(engine, pool);
  }

  @Override
  public void close() {
    engine.stop();
    engine.destroy();
    pool.close();
  }
}
