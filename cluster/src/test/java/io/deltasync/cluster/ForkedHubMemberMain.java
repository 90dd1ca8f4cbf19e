package io.deltasync.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A hub member in a JVM of its own, so that a test can freeze it ({@code SIGSTOP}) or kill it: it
 * joins the test cluster with the hub's settings and, while it leads, runs a {@link HubLoop} over
 * the clients, whose databases (on a database server both processes reach) it opens itself.
 *
 * <p>Arguments: cluster name, base port, port count, failover timeout in seconds, the hub's JDBC
 * URL, user and password, then one {@code nodeId=jdbcUrl} per client (same user and password).
 *
 * <p>It reports on stdout, one line each: {@code member leads <true|false> batches <n>} when its
 * leadership changes, {@code member resumed after <ms> ms batches <n>} when it finds it was not
 * scheduled for more than a second (frozen), {@code member batches <n>} every second, and exits
 * when the process that started it is gone.
 */
final class ForkedHubMemberMain {

  static final String PREFIX = "member ";
  private static final Duration TICK = Duration.ofMillis(50);
  private static final Duration FROZEN = Duration.ofSeconds(1);

  private ForkedHubMemberMain() {}

  public static void main(String[] args) throws Exception {
    TestCluster cluster =
        TestCluster.joining(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    ClusterSettings settings =
        ClusterSettings.defaults("hub", NodeRole.HUB)
            .withFailoverTimeout(Duration.ofSeconds(Long.parseLong(args[3])));
    String user = args[5];
    String password = args[6];
    HikariDataSource hubPool = pool(args[4], user, password);
    List<TestNode> clients = new ArrayList<>();
    for (int i = 7; i < args.length; i++) {
      String[] client = args[i].split("=", 2);
      clients.add(
          client(
              client[0],
              new TestDatabase(
                  "postgresql", client[1], user, password, pool(client[1], user, password))));
    }
    DeltaSyncCluster member = cluster.start(settings, hubPool);
    SyncNode hub =
        new SyncNode(
            member.store(),
            new DeltaApplier(hubPool, "hub", new DeltaValidator(NameFilter.ALL)),
            50);
    HubLoop loop = new HubLoop("hub-forked", member, hub, clients);
    member.leadership().onChange(leads -> report("leads " + leads + " batches " + loop.batches()));
    loop.start();
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    long last = System.nanoTime();
    for (int tick = 1; parent.map(ProcessHandle::isAlive).orElse(false); tick++) {
      Thread.sleep(TICK.toMillis());
      if (tick % 20 == 0) {
        report("batches " + loop.batches());
      }
      long now = System.nanoTime();
      if (now - last > FROZEN.toNanos()) {
        report(
            "resumed after "
                + Duration.ofNanos(now - last).toMillis()
                + " ms batches "
                + loop.batches());
      }
      last = now;
    }
    Runtime.getRuntime().halt(0);
  }

  /** A client as a node of its own database, accepting what the hub pushes. */
  private static TestNode client(String nodeId, TestDatabase db) {
    DeltaApplier applier =
        new DeltaApplier(db.dataSource(), nodeId, new DeltaValidator(NameFilter.ALL), null, "hub");
    SyncNode node =
        new SyncNode(
            new JdbcDeltaStore(db.dataSource(), nodeId), applier, SyncNode.DEFAULT_BATCH_SIZE);
    return new TestNode(db, null, node);
  }

  private static HikariDataSource pool(String url, String user, String password) {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(url);
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setMaximumPoolSize(4);
    return pool;
  }

  private static void report(String line) {
    System.out.println(PREFIX + line);
    System.out.flush();
  }
}
