package io.deltasync.console.node;

import io.deltasync.console.audit.AuditEntry.Outcome;
import io.deltasync.console.audit.AuditLog;
import io.deltasync.load.HubReloads;
import io.deltasync.load.LoadException;
import io.deltasync.load.TableReloadRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The console's requests that a peer reload one table from this node ({@link
 * HubReloads#requestTable}): the peer hears it at its next pull over HTTP and reloads the table
 * page by page while its pulls go on. Each request and each withdrawal writes one audit entry
 * ({@code RELOAD_PEER_TABLE}, {@code CANCEL_RELOAD_PEER_TABLE}), done or refused with the reason.
 * The requests still due or failed are listed per peer for the Nodes page. Thread-safe.
 */
@Component
public class PeerTableReloads {

  /** The audit log's name of a request. */
  static final String ACTION = "RELOAD_PEER_TABLE";

  /** The audit log's name of a withdrawal. */
  static final String CANCEL_ACTION = "CANCEL_RELOAD_PEER_TABLE";

  private final HubReloads hub;
  private final AuditLog audit;

  public PeerTableReloads(HubReloads hub, AuditLog audit) {
    this.hub = hub;
    this.audit = audit;
  }

  /** Whether the node is a peer of this node rather than this node itself. */
  public boolean isPeer(String node) {
    return node != null && !node.isBlank() && !node.equals(hub.nodeId());
  }

  /**
   * Asks the peer to reload the table from this node, or says why not, and audits it.
   *
   * @param user who asks, for the audit log and the request
   */
  public Result request(String peer, String table, String user) {
    String name = name(table);
    String target = "table " + name;
    String from = " to reload table " + name + " from " + hub.nodeId();
    try {
      if (hub.requestTable(peer, table, user + " (console)")) {
        String message = "Asked " + peer + from + ": it starts at its next pull";
        audit.record(user, ACTION, hub.nodeId(), peer, target, 0, false, Outcome.DONE, message);
        return new Result(true, peer, name, message);
      }
      String message =
          peer + " was asked already" + from + ": the request is due, told at its next pull";
      audit.record(user, ACTION, hub.nodeId(), peer, target, 0, false, Outcome.REFUSED, message);
      return new Result(false, peer, name, message);
    } catch (LoadException e) {
      String message = "Reload of table " + name + " of " + peer + " refused: " + e.getMessage();
      audit.record(user, ACTION, hub.nodeId(), peer, target, 0, false, Outcome.REFUSED, message);
      return new Result(false, peer, name, message);
    } catch (RuntimeException e) {
      String message = "Reload of table " + name + " of " + peer + " failed: " + e.getMessage();
      audit.record(user, ACTION, hub.nodeId(), peer, target, 0, false, Outcome.FAILED, message);
      return new Result(false, peer, name, message);
    }
  }

  /** Withdraws the peer's table reload request of the table, due or failed, and audits it. */
  public Result cancel(String peer, String table, String user) {
    String name = name(table);
    String target = "table " + name;
    String request = "reload of table " + name + " asked of " + peer;
    try {
      if (hub.cancelTable(peer, name)) {
        String message =
            "Withdrew the " + request + ": " + hub.nodeId() + " no longer tells it at its pulls";
        audit.record(
            user, CANCEL_ACTION, hub.nodeId(), peer, target, 1, false, Outcome.DONE, message);
        return new Result(true, peer, name, message);
      }
      String message = "No " + request + " is due or failed: nothing to withdraw";
      audit.record(
          user, CANCEL_ACTION, hub.nodeId(), peer, target, 0, false, Outcome.REFUSED, message);
      return new Result(false, peer, name, message);
    } catch (RuntimeException e) {
      String message = "Withdrawing the " + request + " failed: " + e.getMessage();
      audit.record(
          user, CANCEL_ACTION, hub.nodeId(), peer, target, 0, false, Outcome.FAILED, message);
      return new Result(false, peer, name, message);
    }
  }

  /** The table reloads asked of the peers that are still due or failed, by peer, then table. */
  public Map<String, List<TableReloadRequest>> byPeer() {
    Map<String, List<TableReloadRequest>> byPeer = new TreeMap<>();
    for (TableReloadRequest request : hub.tableReloads()) {
      byPeer.computeIfAbsent(request.peer(), peer -> new ArrayList<>()).add(request);
    }
    return byPeer;
  }

  /** The table's name as the hub notes it. */
  private static String name(String table) {
    return table.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * What a request or withdrawal did.
   *
   * @param done whether the table reload was asked for (or withdrawn) now
   * @param node the peer
   * @param table the table, lower case
   * @param message what happened, in words
   */
  public record Result(boolean done, String node, String table, String message) {}
}
