package io.deltasync.capture.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.util.TablesNamesFinder;
import org.apache.ibatis.cache.Cache;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.SqlCommandType;
import org.apache.ibatis.mapping.SqlSource;
import org.apache.ibatis.scripting.defaults.RawSqlSource;
import org.apache.ibatis.session.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MyBatis's second-level caches ({@code <cache/>}) of the configurations that capture has seen,
 * cleared when another node's changes are applied to their database: the applier writes with plain
 * JDBC, which MyBatis never hears of. A cache is cleared when a statement it serves reads a changed
 * table, or reads SQL that is only known at run time (dynamic SQL, providers). Thread-safe.
 *
 * <p>Configurations are matched to the applier's database by data source, or else by the JDBC URL
 * their connections report, so a node built over another pool of the same database counts.
 *
 * <p>A session that read a row before the change and commits after it may still put its stale
 * result into the cache, as with MyBatis's own writes from another session.
 */
public final class StatementCaches {

  private static final Logger LOG = LoggerFactory.getLogger(StatementCaches.class);
  private static final String ANY_TABLE = "*";

  /** What is known of a watched configuration: its database's URL, its caches' tables. */
  private static final class Watched {
    String url;
    Map<Cache, Set<String>> caches;
  }

  /** Configuration to what is known of it, read at the first change to its database. */
  private static final Map<Configuration, Watched> WATCHED = new WeakHashMap<>();

  private StatementCaches() {}

  /** Starts watching the configuration's caches; cheap when it is watched already. */
  public static void watch(Configuration configuration) {
    synchronized (WATCHED) {
      WATCHED.computeIfAbsent(configuration, c -> new Watched());
    }
  }

  /**
   * Clears the caches, of configurations over this database (the same data source, or one with the
   * same JDBC URL), whose statements read any of the tables (lower case).
   *
   * @param url the database's JDBC URL as its driver reports it
   * @return how many caches were cleared
   */
  public static int changed(DataSource dataSource, String url, Set<String> tables) {
    if (tables.isEmpty()) {
      return 0;
    }
    int cleared = 0;
    synchronized (WATCHED) {
      for (Map.Entry<Configuration, Watched> entry : WATCHED.entrySet()) {
        Configuration configuration = entry.getKey();
        Watched watched = entry.getValue();
        if (configuration.getEnvironment() == null) {
          continue;
        }
        DataSource own = configuration.getEnvironment().getDataSource();
        if (own != dataSource) {
          if (watched.url == null) {
            watched.url = urlOf(own);
          }
          if (!watched.url.equals(url)) {
            continue;
          }
        }
        if (watched.caches == null) {
          watched.caches = readers(configuration);
        }
        for (Map.Entry<Cache, Set<String>> cache : watched.caches.entrySet()) {
          Set<String> reads = cache.getValue();
          if (reads.contains(ANY_TABLE) || reads.stream().anyMatch(tables::contains)) {
            cache.getKey().clear();
            cleared++;
          }
        }
      }
    }
    if (cleared > 0) {
      LOG.debug("Cleared {} MyBatis caches after changes to {}", cleared, tables);
    }
    return cleared;
  }

  private static String urlOf(DataSource dataSource) {
    try (java.sql.Connection connection = dataSource.getConnection()) {
      return String.valueOf(connection.getMetaData().getURL());
    } catch (java.sql.SQLException e) {
      return ""; // unknown: cleared only when it is the applier's own data source
    }
  }

  /** Per cache, the tables its SELECT statements read ({@value #ANY_TABLE}: not known). */
  private static Map<Cache, Set<String>> readers(Configuration configuration) {
    Map<Cache, Set<String>> caches = new HashMap<>();
    Collection<?> statements = configuration.getMappedStatements();
    for (Object each : statements.toArray()) {
      if (!(each instanceof MappedStatement statement)
          || statement.getCache() == null
          || statement.getSqlCommandType() != SqlCommandType.SELECT) {
        continue; // MyBatis stores ambiguous short names as other objects in the same map
      }
      caches
          .computeIfAbsent(statement.getCache(), cache -> new HashSet<>())
          .addAll(tablesRead(statement.getSqlSource()));
    }
    for (Cache cache : configuration.getCaches()) {
      caches.putIfAbsent(cache, Set.of(ANY_TABLE));
    }
    return caches;
  }

  private static Set<String> tablesRead(SqlSource source) {
    if (!(source instanceof RawSqlSource)) {
      return Set.of(ANY_TABLE);
    }
    try {
      String sql = source.getBoundSql(null).getSql();
      Set<String> tables = new HashSet<>();
      for (String name : new TablesNamesFinder<Void>().getTables(CCJSqlParserUtil.parse(sql))) {
        String unquoted = name.replace("\"", "").replace("`", "");
        tables.add(unquoted.substring(unquoted.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
      }
      return tables;
    } catch (Exception | StackOverflowError e) {
      return Set.of(ANY_TABLE);
    }
  }
}
