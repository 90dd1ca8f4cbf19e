package io.deltasync.node;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an H2 file database keeps the commits it confirmed when its process is killed: only with
 * {@link #URL_SETTINGS} in its URL. H2 2.x (MVStore) otherwise writes a commit to its file up to
 * {@code WRITE_DELAY} ms later (500 by default); and when it writes a commit into space it freed
 * earlier in the file, it records the chunk before it in the file's header, so that opening the
 * file after a kill stops there: up to about 20 commits that are in the file are skipped (see the
 * README's "H2 durability"). Other databases, and H2 in-memory ones, are never at risk here.
 *
 * <p>Stateless and thread-safe.
 */
public final class H2Durability {

  /** What an H2 file database's URL must add for its confirmed commits to survive a kill. */
  public static final String URL_SETTINGS = ";WRITE_DELAY=0;REUSE_SPACE=FALSE";

  private static final Logger LOG = LoggerFactory.getLogger(H2Durability.class);

  private H2Durability() {}

  /**
   * The settings of the connection's database that put its confirmed commits at risk, as {@code
   * NAME=value} (for example {@code WRITE_DELAY=500}); empty for an H2 database that has {@link
   * #URL_SETTINGS}, an in-memory one, or another product.
   *
   * @throws SQLException when the database cannot be asked
   */
  public static List<String> risks(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    String url = connection.getMetaData().getURL();
    if (!"H2".equalsIgnoreCase(product) || url == null || url.contains("mem:")) {
      return List.of();
    }
    List<String> risks = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet settings =
            statement.executeQuery(
                "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME IN ('WRITE_DELAY', 'REUSE_SPACE')")) {
      while (settings.next()) {
        String name = settings.getString(1);
        String value = settings.getString(2);
        boolean safe =
            name.equals("WRITE_DELAY") ? value.equals("0") : value.equalsIgnoreCase("false");
        String setting = name + "=" + value.toUpperCase(Locale.ROOT);
        if (!safe && !risks.contains(setting)) {
          risks.add(setting);
        }
      }
    }
    return risks;
  }

  /**
   * Logs one warning when the node's database is an H2 file database at risk (see {@link #risks}).
   * Never fails: a database that cannot be asked is logged at DEBUG and left alone.
   */
  public static void warnIfAtRisk(DataSource dataSource, String nodeId) {
    try (Connection connection = dataSource.getConnection()) {
      List<String> risks = risks(connection);
      if (!risks.isEmpty()) {
        LOG.warn(
            "Node {}: its H2 file database runs with {}, so a kill (SIGKILL, a crash) can lose"
                + " commits it confirmed; add {} to its URL (the file then grows while it is open,"
                + " see the README's \"H2 durability\"), or use PostgreSQL or MariaDB",
            nodeId,
            String.join(" and ", risks),
            URL_SETTINGS);
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Node {}: could not check its database's durability settings", nodeId, e);
    }
  }
}
