package io.deltasync.cluster;

import io.deltasync.apply.ApplierSessions;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a member does when it starts leading its node: it ends, in the node's database, the
 * transactions other processes are applying in ({@link ApplierSessions#endOthers}). A former leader
 * that stopped answering without dying (frozen, paused, cut off from the members only) would
 * otherwise keep the row locks of its apply, and the new leader's applying of that sender's stream
 * would wait until it ran again; ended, its transaction rolls back and counts for nothing. Runs on
 * a thread of its own, so that no leadership listener waits for the database.
 */
final class FormerLeaders {

  private static final Logger LOG = LoggerFactory.getLogger(FormerLeaders.class);

  private FormerLeaders() {}

  static void endTheirApplies(String nodeId, DataSource dataSource) {
    Thread thread =
        new Thread(
            () -> {
              try {
                List<Integer> ended = ApplierSessions.endOthers(dataSource);
                if (!ended.isEmpty()) {
                  LOG.info(
                      "This member leads node {}: ended {} database session(s) in which another"
                          + " process was applying (process ids {}); their transactions roll back",
                      nodeId,
                      ended.size(),
                      ended);
                }
              } catch (SQLException | RuntimeException e) {
                LOG.warn(
                    "This member leads node {} but could not end the database sessions of a former"
                        + " leader's applies ({}); a frozen one holds its row locks until the"
                        + " database ends its session",
                    nodeId,
                    e.toString());
              }
            },
            "deltasync-former-leaders-" + nodeId);
    thread.setDaemon(true);
    thread.start();
  }
}
