package io.deltasync.schema;

import com.zaxxer.hikari.HikariDataSource;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.UpdateSummaryEnum;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * One fresh database on a real server, with a small connection pool, as handed out by {@link
 * TestDatabases}.
 *
 * @param kind {@code h2}, {@code postgresql} or {@code mariadb}
 * @param jdbcUrl the JDBC URL of this database
 * @param user the user to connect as
 * @param password that user's password (empty when none is needed)
 * @param dataSource a pool of at most four connections to this database
 */
public record TestDatabase(
    String kind, String jdbcUrl, String user, String password, DataSource dataSource)
    implements AutoCloseable {

  /** The DeltaSync master changelog, as a classpath resource. */
  public static final String MASTER_CHANGELOG = "db/changelog/deltasync-master.yaml";

  // Held strongly: java.util.logging forgets the level of a logger nobody references.
  private static final Logger LIQUIBASE_LOG = quietLiquibase();

  /**
   * Applies the DeltaSync master changelog with Liquibase; changesets already applied are skipped.
   *
   * @return this database
   */
  public TestDatabase migrate() {
    return migrate(MASTER_CHANGELOG);
  }

  /**
   * Applies a changelog from the classpath with Liquibase; changesets already applied are skipped.
   *
   * @param changelog the changelog's classpath resource name
   * @return this database
   */
  public TestDatabase migrate(String changelog) {
    try (Connection connection = dataSource.getConnection()) {
      Database database =
          DatabaseFactory.getInstance()
              .findCorrectDatabaseImplementation(new JdbcConnection(connection));
      Map<String, Object> scope =
          Map.of(
              Scope.Attr.resourceAccessor.name(),
              new ClassLoaderResourceAccessor(TestDatabase.class.getClassLoader()),
              Scope.Attr.ui.name(),
              new LoggerUIService(),
              "liquibase.analytics.enabled",
              false);
      Scope.child(
          scope,
          () ->
              new CommandScope(UpdateCommandStep.COMMAND_NAME)
                  .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                  .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
                  .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY, UpdateSummaryEnum.OFF)
                  .addArgumentValue(
                      ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                  .setOutput(OutputStream.nullOutputStream())
                  .execute());
    } catch (Exception e) {
      throw new IllegalStateException("Could not apply " + changelog + " to " + jdbcUrl, e);
    }
    return this;
  }

  /**
   * Runs each statement in order, each in its own auto-committed transaction.
   *
   * @param sql DDL or DML statements without result sets
   */
  public void execute(String... sql) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Statement failed on " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  private static Logger quietLiquibase() {
    Logger logger = Logger.getLogger("liquibase");
    if (logger.getLevel() == null) {
      logger.setLevel(Level.WARNING);
    }
    return logger;
  }

  /** Closes the connection pool; the database itself lives until the JVM exits. */
  @Override
  public void close() {
    if (dataSource instanceof HikariDataSource pool) {
      pool.close();
    }
  }
}
