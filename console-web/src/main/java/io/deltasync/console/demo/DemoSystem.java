package io.deltasync.console.demo;

import io.deltasync.console.ConsoleApplication;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A hub running the console and two clients, node-a and node-b, in this JVM, each a Spring Boot
 * application on its own database, syncing over HTTP on loopback with the shipped route files
 * (http-serve on the hub, http-push and http-pull on the clients) and secrets generated at start.
 * The hub's table {@code note} has the policy {@code manual}; only the hub has a check constraint
 * on {@code todo} (Liquibase context {@code hub}) that makes some to-dos dead letters.
 *
 * @param hub the hub's application, serving the console
 * @param a client node-a
 * @param b client node-b
 * @param port the hub's HTTP port
 * @param password the console password of user {@code admin}
 */
public record DemoSystem(
    ConfigurableApplicationContext hub,
    ConfigurableApplicationContext a,
    ConfigurableApplicationContext b,
    int port,
    String password)
    implements AutoCloseable {

  /**
   * What a client application leaves out of Spring Boot's auto-configuration when the console jar
   * is on its classpath but it serves no console: Spring Security and the console's users (value of
   * {@code spring.autoconfigure.exclude}).
   */
  public static final String WITHOUT_CONSOLE_SECURITY =
      "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration,"
          + "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration,"
          + "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration,"
          + "io.deltasync.console.system.ConsoleUsersAutoConfiguration";

  /** The demo's changelog: DeltaSync's tables and the to-do and notes application. */
  public static final String CHANGELOG = "classpath:deltasync/demo/demo-changelog.yaml";

  /**
   * Starts the hub and then the clients.
   *
   * @param port the hub's HTTP port
   * @param hubDatabase the hub's JDBC URL, user and password ({@link #h2} for the demo's own)
   * @param hubProperties more hub properties, overriding the demo's (e.g. the Hazelcast port)
   * @param name a name for the clients' H2 databases and the Hazelcast cluster, unique per run
   */
  public static DemoSystem start(
      int port, List<String> hubDatabase, Map<String, Object> hubProperties, String name) {
    String password = secret(12);
    String secretA = secret(24);
    String secretB = secret(24);
    Map<String, Object> hub = base("hub", hubDatabase);
    hub.put("server.port", port);
    hub.put("deltasync.cluster.role", "HUB");
    hub.put("deltasync.cluster.cluster-name", "deltasync-" + name);
    hub.put("deltasync.cluster.members", "127.0.0.1");
    hub.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub.put("deltasync.ship.peers.node-a.secret", secretA);
    hub.put("deltasync.ship.peers.node-b.secret", secretB);
    hub.put("deltasync.conflict.tables.note", "manual");
    hub.put("spring.liquibase.contexts", "hub");
    hub.put("deltasync.console.users.admin.password", password);
    hub.put("deltasync.console.users.admin.role", "ADMIN");
    hub.putAll(hubProperties);
    ConfigurableApplicationContext hubApp = run(ConsoleApplication.class, hub);
    int actualPort =
        Integer.parseInt(hubApp.getEnvironment().getProperty("local.server.port", "" + port));
    // the clients start side by side: a start is mostly class loading and wiring, one core each
    CompletableFuture<ConfigurableApplicationContext> a =
        CompletableFuture.supplyAsync(() -> client("node-a", name, secretA, actualPort));
    ConfigurableApplicationContext b = client("node-b", name, secretB, actualPort);
    return new DemoSystem(hubApp, a.join(), b, actualPort, password);
  }

  /** An in-memory H2 database's URL, user and password, kept until the JVM exits. */
  public static List<String> h2(String database) {
    return List.of("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  /** The client's MyBatis mapper; each call is its own captured transaction. */
  public static DemoMapper mapper(ConfigurableApplicationContext client) {
    return client.getBean(SqlSessionTemplate.class).getMapper(DemoMapper.class);
  }

  /** Stops the clients, then the hub. */
  @Override
  public void close() {
    a.close();
    b.close();
    hub.close();
  }

  private static ConfigurableApplicationContext client(
      String id, String name, String secret, int hubPort) {
    Map<String, Object> client = base(id, h2(name + "_" + id.replace('-', '_')));
    client.put("server.port", 0);
    client.put("server.address", "127.0.0.1");
    client.put("deltasync.node.upstream", "hub");
    client.put("deltasync.cluster.enabled", "false");
    client.put("spring.liquibase.contexts", "client");
    client.put("deltasync.ship.upstream-url", "http://localhost:" + hubPort);
    client.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/http-push.camel.yaml,"
            + "classpath:deltasync/examples/http-pull.camel.yaml");
    client.put("deltasync.ship.peers.hub.secret", secret);
    client.put("spring.autoconfigure.exclude", WITHOUT_CONSOLE_SECURITY);
    return run(DemoClientApplication.class, client);
  }

  private static Map<String, Object> base(String id, List<String> database) {
    Map<String, Object> properties = new LinkedHashMap<>();
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

  private static ConfigurableApplicationContext run(Class<?> app, Map<String, Object> properties) {
    // as arguments, so they win over the console's application.properties
    String[] args =
        properties.entrySet().stream()
            .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(app).registerShutdownHook(false).run(args);
  }

  private static String secret(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
