package io.deltasync.e2e.faults;

import io.deltasync.console.demo.DemoSystem;
import io.deltasync.e2e.support.AppProcess;
import io.deltasync.e2e.support.Db;
import io.deltasync.e2e.support.E2eSettings;
import io.deltasync.node.H2Durability;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The fault suite's system: a hub (the packaged console) on PostgreSQL and three shop clients, two
 * on H2 files and one on MariaDB, each a JVM of its own with the shipped route files. {@code
 * client-a} (H2) and {@code client-c} (MariaDB) push and pull over HTTP, each through an {@link
 * HttpFaultProxy} of its own; {@code client-b} (H2) and the hub exchange its batches over JMS, both
 * directions, through a {@link FaultBroker} in the test JVM that each of the two reaches through a
 * {@link JmsFaultProxy} of its own. PostgreSQL, MariaDB and the broker run in the test JVM; each H2
 * database is a file that only its client's process opens, with the README's settings for a node
 * that may be killed ({@link H2Durability#URL_SETTINGS}), served over TCP from that process for the
 * tests to read while it runs.
 */
final class FaultSystem implements AutoCloseable {

  static final String HUB = "hub";
  static final List<String> CLIENTS = List.of("client-a", "client-b", "client-c");

  /** The client that ships over JMS; the others ship over HTTP. */
  static final String JMS_CLIENT = "client-b";

  /** The queues of the JMS client's two streams (each node's own queue). */
  static final List<String> JMS_QUEUES = List.of("deltasync." + HUB, "deltasync." + JMS_CLIENT);

  private static final String JMS_RECEIVE = "classpath:deltasync/examples/jms-receive.camel.yaml";

  /** How long a process may take to start: four JVMs start at once on two cores. */
  static final Duration START = Duration.ofMinutes(5);

  private static final String CHANGELOG = "classpath:e2e/faults-changelog.yaml";

  private final Map<String, AppProcess> apps = new LinkedHashMap<>();
  private final Map<String, Db> databases = new LinkedHashMap<>();
  private final Map<String, HttpFaultProxy> httpProxies = new LinkedHashMap<>();
  private final Map<String, JmsFaultProxy> jmsProxies = new LinkedHashMap<>();
  private final FaultBroker broker;

  FaultSystem() {
    Path work = E2eSettings.work().resolve("faults-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestDatabase hubDb = TestDatabases.postgres("faults_hub");
    TestDatabase mariaDb = TestDatabases.mariadb("faults_client_c");
    // the broker binds its port at once, before the ports of the processes are chosen (a port
    // chosen free is free only until someone binds it)
    broker = new FaultBroker();
    JmsFaultProxy hubLink = new JmsFaultProxy(HUB + " <-> broker", broker.port());
    jmsProxies.put(HUB, hubLink);
    int hubPort = freePort();
    Map<String, String> hub = common(HUB, List.of(hubDb.jdbcUrl(), hubDb.user(), hubDb.password()));
    hub.put("server.port", String.valueOf(hubPort));
    hub.put("spring.liquibase.contexts", "hub");
    hub.put("deltasync.cluster.role", "HUB");
    hub.put("deltasync.cluster.cluster-name", "deltasync-faults-" + ProcessHandle.current().pid());
    hub.put("deltasync.cluster.members", "127.0.0.1");
    hub.put("deltasync.cluster.port", String.valueOf(freePort()));
    hub.put("spring.artemis.mode", "native");
    hub.put("spring.artemis.broker-url", hubLink.brokerUrl());
    // HTTP for its HTTP clients; over JMS it sends to the JMS client only (the shipped jms-send
    // file sends to every peer) and applies what arrives on its own queue
    hub.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/http-serve.camel.yaml,"
            + "classpath:e2e/faults-hub-jms-send.camel.yaml,"
            + JMS_RECEIVE);
    hub.put("faults.jms-client", JMS_CLIENT);
    hub.put("deltasync.console.users.admin.password", secret(8));
    hub.put("deltasync.console.users.admin.role", "ADMIN");
    databases.put(HUB, new Db(HUB, hubDb.dataSource()));
    Map<String, AppProcess> clientApps = new LinkedHashMap<>();

    for (String id : CLIENTS) {
      String secret = secret(24);
      hub.put("deltasync.ship.peers." + id + ".secret", secret);
      Map<String, String> client;
      if (!onH2(id)) {
        client = common(id, List.of(mariaDb.jdbcUrl(), mariaDb.user(), mariaDb.password()));
        databases.put(id, new Db(id, mariaDb.dataSource()));
      } else {
        String file = work.resolve(id).toAbsolutePath().toString();
        int tcpPort = freePort();
        client = common(id, List.of("jdbc:h2:file:" + file + H2Durability.URL_SETTINGS, "sa", ""));
        client.put("shop.h2-tcp-port", String.valueOf(tcpPort));
        JdbcDataSource window = new JdbcDataSource();
        window.setURL(
            "jdbc:h2:tcp://127.0.0.1:"
                + tcpPort
                + "/"
                + file
                + ";IFEXISTS=TRUE"
                + H2Durability.URL_SETTINGS);
        window.setUser("sa");
        window.setPassword("");
        databases.put(id, new Db(id, window));
      }
      int port = freePort();
      client.put("server.port", String.valueOf(port));
      client.put("server.address", "127.0.0.1");
      client.put("spring.liquibase.contexts", "client");
      client.put("deltasync.node.upstream", HUB);
      client.put("deltasync.cluster.enabled", "false");
      if (overJms(id)) {
        JmsFaultProxy link = new JmsFaultProxy(id + " <-> broker", broker.port());
        jmsProxies.put(id, link);
        client.put("spring.artemis.mode", "native");
        client.put("spring.artemis.broker-url", link.brokerUrl());
        client.put(
            "deltasync.ship.routes",
            "classpath:deltasync/examples/jms-send.camel.yaml," + JMS_RECEIVE);
      } else {
        HttpFaultProxy proxy = new HttpFaultProxy(id + " <-> hub", hubPort);
        httpProxies.put(id, proxy);
        client.put("deltasync.ship.upstream-url", proxy.url());
        client.put(
            "deltasync.ship.routes",
            "classpath:deltasync/examples/http-push.camel.yaml,"
                + "classpath:deltasync/examples/http-pull.camel.yaml");
      }
      client.put("deltasync.ship.peers." + HUB + ".secret", secret);
      client.put("spring.autoconfigure.exclude", DemoSystem.WITHOUT_CONSOLE_SECURITY);
      clientApps.put(id, new AppProcess(id, "io.deltasync.e2e.app.ShopApplication", client, port));
    }
    apps.put(HUB, new AppProcess(HUB, "io.deltasync.console.ConsoleApplication", hub, hubPort));
    apps.putAll(clientApps);
    // a test that fails or is interrupted still leaves no process behind
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "faults-stop"));
    apps.values().forEach(AppProcess::start);
    ExecutorService starting = Executors.newFixedThreadPool(apps.size());
    try {
      apps.values().stream()
          .map(app -> CompletableFuture.supplyAsync(() -> app.awaitUp(START), starting))
          .toList()
          .forEach(CompletableFuture::join);
    } catch (RuntimeException e) {
      close();
      throw e;
    } finally {
      starting.shutdown();
    }
  }

  /** Whether the client's database is an H2 file (the others' are servers in the test JVM). */
  static boolean onH2(String client) {
    return !client.equals("client-c");
  }

  AppProcess app(String node) {
    return apps.get(node);
  }

  /** Whether the client ships over JMS (else over HTTP). */
  static boolean overJms(String client) {
    return client.equals(JMS_CLIENT);
  }

  Db db(String node) {
    return databases.get(node);
  }

  /** The proxy between an HTTP client and the hub. */
  HttpFaultProxy httpProxy(String client) {
    return httpProxies.get(client);
  }

  /** The proxy between a node that uses JMS (the JMS client, the hub) and the broker. */
  JmsFaultProxy jmsProxy(String node) {
    return jmsProxies.get(node);
  }

  /** Every link's proxy, HTTP ones first. */
  List<FaultProxy> proxies() {
    List<FaultProxy> all = new ArrayList<>(httpProxies.values());
    all.addAll(jmsProxies.values());
    return all;
  }

  FaultBroker broker() {
    return broker;
  }

  /** Every node, hub first. */
  List<String> nodes() {
    return List.copyOf(apps.keySet());
  }

  /** The clients' processes, by node id. */
  Map<String, AppProcess> clients() {
    Map<String, AppProcess> clients = new LinkedHashMap<>(apps);
    clients.remove(HUB);
    return clients;
  }

  @Override
  public synchronized void close() {
    // a process the nemesis froze runs again at once, not only when its turn to stop comes
    apps.values().forEach(AppProcess::resume);
    List<AppProcess> reversed = new ArrayList<>(apps.values());
    Collections.reverse(reversed);
    reversed.forEach(AppProcess::stop);
    proxies().forEach(FaultProxy::close);
    broker.close();
  }

  static Map<String, String> common(String id, List<String> database) {
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

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String secret(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
