package io.deltasync.ship.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.junit.jupiter.api.Test;

/**
 * A plain-MyBatis client set up as the README shows: its {@code mybatis-config.xml} (the plugin
 * with {@code nodeId} and {@code upstream}, a {@code POOLED} data source, the mapper with its
 * cache) and, as "Syncing nodes in-process" shows, a {@code SyncNode} over a data source of the
 * same database. Whichever data source the application hands the node, its own pool or the one
 * MyBatis built from the XML, a pull must clear the cached reads of the rows it changed.
 */
class ReadmeClientCacheIT {

  private static final String MYBATIS_CONFIG =
      """
      <?xml version="1.0" encoding="UTF-8" ?>
      <!DOCTYPE configuration
        PUBLIC "-//mybatis.org//DTD Config 3.0//EN"
        "https://mybatis.org/dtd/mybatis-3-config.dtd">
      <configuration>
        <plugins>
          <plugin interceptor="io.deltasync.capture.DeltaSyncInterceptor">
            <property name="nodeId" value="${nodeId}"/>
            <property name="upstream" value="hub"/>
          </plugin>
        </plugins>
        <environments default="app">
          <environment id="app">
            <transactionManager type="JDBC"/>
            <dataSource type="POOLED">
              <property name="driver" value="org.h2.Driver"/>
              <property name="url" value="${url}"/>
              <property name="username" value="sa"/>
            </dataSource>
          </environment>
        </environments>
        <mappers>
          <mapper class="io.deltasync.ship.shop.ShopMapper"/>
        </mappers>
      </configuration>
      """;

  @Test
  void aPullClearsCachedReadsWhenTheNodeRunsOverTheApplicationsOwnPool() {
    TestDatabase db = TestDatabases.h2("readme_client_pool");
    ShopApp client = readmeClient(db);
    assertPullRefreshesCachedStock(client, db, db.dataSource());
  }

  @Test
  void aPullClearsCachedReadsWhenTheNodeRunsOverMyBatissDataSource() {
    TestDatabase db = TestDatabases.h2("readme_client_mybatis");
    ShopApp client = readmeClient(db);
    assertPullRefreshesCachedStock(
        client, db, client.sessions().getConfiguration().getEnvironment().getDataSource());
  }

  /** The hub restocks an item the client has just read through its cache; the client pulls. */
  private static void assertPullRefreshesCachedStock(
      ShopApp client, TestDatabase db, DataSource nodeDataSource) {
    TestDatabase hubDb = TestDatabases.h2("readme_hub").migrate();
    ShopSchema.install(hubDb);
    ShopApp hub = hubApp(hubDb);
    SyncNode hubNode = new SyncNode("hub", hubDb.dataSource(), NameFilter.ALL);
    SyncNode clientNode = new SyncNode("node-a", nodeDataSource, NameFilter.ALL);
    hub.inTransaction(shop -> shop.insertItem(1, "item 1", 10, BigDecimal.ONE));
    clientNode.pull(hubNode);
    client.inTransaction(shop -> shop.sell(1, 1)); // the plugin has served this configuration
    assertThat(stock(client)).isEqualTo(List.of(9)); // now cached

    hub.inTransaction(shop -> shop.restock(1, 5));
    assertThat(clientNode.pull(hubNode)).as("deltas pulled").isEqualTo(1);

    assertThat(ShopSchema.rows(db.dataSource(), "ITEM").get("1")).contains("QTY=14");
    assertThat(stock(client))
        .as(
            "the stock read through the cached mapper after the pull (MyBatis reads through its %s,"
                + " the node applied through %s, both over %s)",
            client
                .sessions()
                .getConfiguration()
                .getEnvironment()
                .getDataSource()
                .getClass()
                .getName(),
            nodeDataSource.getClass().getName(),
            db.jdbcUrl())
        .isEqualTo(List.of(14));
  }

  private static ShopApp readmeClient(TestDatabase db) {
    db.migrate();
    ShopSchema.install(db);
    Properties variables = new Properties();
    variables.setProperty("nodeId", "node-a");
    variables.setProperty("url", db.jdbcUrl());
    return new ShopApp(
        "node-a",
        new SqlSessionFactoryBuilder().build(new StringReader(MYBATIS_CONFIG.strip()), variables));
  }

  private static ShopApp hubApp(TestDatabase db) {
    Properties plugin = new Properties();
    plugin.setProperty("nodeId", "hub");
    DeltaSyncInterceptor interceptor = new DeltaSyncInterceptor();
    interceptor.setProperties(plugin);
    Configuration configuration =
        new Configuration(new Environment("hub", new JdbcTransactionFactory(), db.dataSource()));
    configuration.addInterceptor(interceptor);
    return new ShopApp("hub", new SqlSessionFactoryBuilder().build(configuration));
  }

  private static List<Integer> stock(ShopApp app) {
    return app.items().stream().map(ShopMapper.Item::qty).toList();
  }
}
