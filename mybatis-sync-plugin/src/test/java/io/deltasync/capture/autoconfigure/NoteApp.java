package io.deltasync.capture.autoconfigure;

import io.deltasync.delta.DeltaCodec;
import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactory;
import org.mybatis.spring.SqlSessionFactoryBean;
import org.mybatis.spring.annotation.MapperScan;
import org.mybatis.spring.boot.autoconfigure.MybatisAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A small note-taking application for the auto-configuration tests: an H2 database with the
 * DeltaSync schema and the {@code note} and {@code audit_note} tables, a context runner with Spring
 * Boot's JDBC, transaction and MyBatis auto-configuration plus DeltaSync's, and readers of what
 * ended up in the database.
 */
public final class NoteApp {

  private NoteApp() {}

  /** A fresh H2 database with the DeltaSync schema and the application's tables. */
  public static TestDatabase database(String name) {
    TestDatabase database = TestDatabases.h2(name).migrate();
    database.execute(
        "CREATE TABLE note (id BIGINT PRIMARY KEY, title VARCHAR(200))",
        "CREATE TABLE audit_note (id BIGINT PRIMARY KEY, title VARCHAR(200))");
    return database;
  }

  /** The application on the database as node {@code node-a}, with {@link NoteMapper} scanned. */
  public static ApplicationContextRunner runner(TestDatabase database) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class,
                DataSourceTransactionManagerAutoConfiguration.class,
                TransactionAutoConfiguration.class,
                MybatisAutoConfiguration.class,
                DeltaSyncCaptureAutoConfiguration.class,
                DeltaSyncNodeAutoConfiguration.class))
        .withPropertyValues(
            "spring.datasource.url=" + database.jdbcUrl(),
            "spring.datasource.username=" + database.user(),
            "spring.datasource.password=" + database.password(),
            "deltasync.node.id=node-a");
  }

  /**
   * The recorded deltas in seq order, each as {@code "KIND table statement id"}, e.g. {@code
   * "INSERT note insert 1"}; the statement is the mapper method, the id the row key's.
   */
  public static List<String> deltas(TestDatabase database) {
    return new JdbcTemplate(database.dataSource())
        .query(
            "SELECT kind, table_name, statement_id, row_key FROM ds_delta ORDER BY seq",
            (row, i) ->
                row.getString("kind")
                    + " "
                    + row.getString("table_name")
                    + " "
                    + row.getString("statement_id").replace(NoteMapper.class.getName() + ".", "")
                    + " "
                    + rowId(row.getString("row_key")));
  }

  private static String rowId(String rowKey) {
    return rowKey == null ? "?" : DeltaCodec.decodeRowKey(rowKey).values().get("id");
  }

  /** The origins of the recorded deltas, in seq order. */
  public static List<String> origins(TestDatabase database) {
    return new JdbcTemplate(database.dataSource())
        .queryForList("SELECT origin FROM ds_delta ORDER BY seq", String.class);
  }

  /** The note rows, by id. */
  public static List<Map<String, Object>> notes(TestDatabase database) {
    return new JdbcTemplate(database.dataSource())
        .queryForList("SELECT id, title FROM note ORDER BY id");
  }

  /** A SqlSessionFactory the way an application defines its own, knowing {@link NoteMapper}. */
  public static SqlSessionFactory userDefinedFactory(DataSource dataSource) throws Exception {
    Configuration configuration = new Configuration();
    configuration.addMapper(NoteMapper.class);
    SqlSessionFactoryBean factory = new SqlSessionFactoryBean();
    factory.setDataSource(dataSource);
    factory.setConfiguration(configuration);
    return factory.getObject();
  }

  /** Makes {@link NoteMapper} a bean, as {@code @MapperScan} does in an application. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  @MapperScan(basePackageClasses = NoteMapper.class, annotationClass = Mapper.class)
  public static class ScanNoteMapper {}
}
