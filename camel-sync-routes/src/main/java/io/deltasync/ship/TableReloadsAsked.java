package io.deltasync.ship;

import io.deltasync.delta.internal.LogText;
import io.deltasync.load.HubReloads;
import io.deltasync.load.TableReloadRequest;
import io.deltasync.ship.PullRequest.TableReloadEnd;
import io.deltasync.ship.internal.Hmac;
import io.deltasync.verify.TableReloadReport;
import io.deltasync.verify.Verifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub's requests that one of its clients reload one table ({@link HubReloads#requestTable}), told
 * in the answers to the client's pulls over HTTP, or in the answers to the {@link
 * LoadRequest.Op#TABLE_RELOADS} requests a client that reaches its hub by a queue or a folder sends
 * through its load route every few seconds ({@link LoadConsumer}); and their runs on the client.
 *
 * <p>On the hub, {@link #tell} puts the requests due for the puller in two headers of the answer:
 * {@value #HEADER}, {@code <id>:<table>} comma-separated, and {@value #SIGNATURE_HEADER}, the
 * Base64 HMAC-SHA256, keyed with the secret the two share, of the hub, the puller, the id of the
 * pull it answers and that list. The client ignores a list signed otherwise, or for another of its
 * pulls (a replay).
 *
 * <p>On the client, one instance per pull or load consumer: {@link #heard} (or {@link #asked})
 * starts each request it is not running yet on a thread of its own, through the {@link Verifier} in
 * the Camel registry whose hub is the peer ({@link Verifier#reloadTable}: page by page, while the
 * deltas keep coming, the pointer left alone); the next pull or request reports how each ended
 * ({@link #ends}), and once it went through ({@link #reported}) the hub ends the request. A client
 * that stops before it reported hears the request again and reloads the table again, which changes
 * nothing more. Thread-safe.
 */
final class TableReloadsAsked {

  /** The header of a pull's answer that lists the table reloads due for the puller. */
  static final String HEADER = "DeltaSyncReloadTables";

  /** The header that signs {@link #HEADER}. */
  static final String SIGNATURE_HEADER = "DeltaSyncReloadTablesHmac";

  private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,36}");

  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

  private static final Logger LOG = LoggerFactory.getLogger(TableReloadsAsked.class);

  private final String nodeId;
  private final Map<String, String> running = new ConcurrentHashMap<>();

  /** Per hub, how the reloads it asked for ended, by request id, until a pull reported them. */
  private final Map<String, Map<String, TableReloadEnd>> ended = new ConcurrentHashMap<>();

  private final ExecutorService threads;
  private volatile boolean warnedUnsigned;

  TableReloadsAsked(String nodeId) {
    this.nodeId = nodeId;
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "deltasync-table-reload-" + nodeId);
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * On the hub: ends the table reloads the pull reports, then sets (or, with none due, removes, so
   * that nothing the puller sent is echoed) the headers that tell it the reloads due for it.
   */
  static void tell(
      Message answer,
      String hubId,
      String requester,
      String pullId,
      List<TableReloadRequest> due,
      byte[] secret) {
    answer.removeHeader(HEADER);
    answer.removeHeader(SIGNATURE_HEADER);
    if (due.isEmpty()) {
      return;
    }
    List<String> entries = new ArrayList<>(due.size());
    for (TableReloadRequest request : due) {
      entries.add(request.id() + ":" + request.table());
    }
    String list = String.join(",", entries);
    answer.setHeader(HEADER, list);
    answer.setHeader(SIGNATURE_HEADER, signature(secret, hubId, requester, pullId, list));
  }

  /** On the hub: ends each table reload the pull reports; unknown ids change nothing. */
  static void ended(HubReloads reloads, String requester, List<TableReloadEnd> ends) {
    if (reloads == null) {
      return;
    }
    for (TableReloadEnd end : ends) {
      reloads.tableReloadEnded(requester, end.id(), end.error());
    }
  }

  /** How the table reloads the hub asked for ended, which the next pull reports; at most 100. */
  List<TableReloadEnd> ends(String hub) {
    return endedOf(hub).values().stream().limit(PullRequest.MAX_TABLE_RELOADS).toList();
  }

  /** The pull that reported these to the hub went through: they are not reported again. */
  void reported(String hub, List<TableReloadEnd> ends) {
    for (TableReloadEnd end : ends) {
      endedOf(hub).remove(end.id(), end);
    }
  }

  private Map<String, TableReloadEnd> endedOf(String hub) {
    return ended.computeIfAbsent(hub, h -> new ConcurrentHashMap<>());
  }

  /**
   * On the client, after a pull from the hub went through: starts the table reloads the answer
   * tells it, if signed by the hub for this pull, each unless it runs or ended already.
   */
  void heard(CamelContext context, Message answer, String hub, String pullId, byte[] secret) {
    String list = answer.getHeader(HEADER, String.class);
    if (list == null || list.isEmpty()) {
      return;
    }
    String claimed = answer.getHeader(SIGNATURE_HEADER, String.class);
    byte[] expected = signature(secret, hub, nodeId, pullId, list).getBytes(StandardCharsets.UTF_8);
    if (claimed == null
        || !MessageDigest.isEqual(expected, claimed.getBytes(StandardCharsets.UTF_8))) {
      if (!warnedUnsigned) {
        warnedUnsigned = true;
        LOG.warn(
            "{} ignored a table reload request in an answer from {}: it is not signed by {} for"
                + " this pull (the secret differs, or it was altered or replayed on the way)",
            nodeId,
            hub,
            hub);
      }
      return;
    }
    asked(context, hub, List.of(list.split(",")));
  }

  /**
   * On the client, with the table reloads the hub asks of it ({@code <id>:<table>} each), from a
   * source it authenticated (a signed answer to this node's own request): starts each that is not
   * running or ended already; ignores, with a warning, an entry that is not an id and a table name.
   */
  void asked(CamelContext context, String hub, List<String> entries) {
    for (String entry : entries) {
      int colon = entry.indexOf(':');
      String id = colon < 0 ? "" : entry.substring(0, colon);
      String table = colon < 0 ? "" : entry.substring(colon + 1);
      if (!ID.matcher(id).matches() || !TABLE.matcher(table).matches()) {
        LOG.warn(
            "{} ignored a malformed table reload request from {}: {}",
            nodeId,
            hub,
            LogText.of(entry));
        continue;
      }
      if (running.containsKey(id) || endedOf(hub).containsKey(id)) {
        continue;
      }
      start(context, hub, id, table);
    }
  }

  /** Stops the reloads still running (interrupted); their requests are heard again. */
  void close() {
    threads.shutdownNow();
  }

  private void start(CamelContext context, String hub, String id, String table) {
    Verifier verifier = context.getRegistry().findSingleByType(Verifier.class);
    if (verifier == null || !verifier.hubId().equals(hub)) {
      String error =
          nodeId
              + " has no Verifier for "
              + hub
              + " (deltasync.ship.upstream-url, a deltasync-jms-load or deltasync-file-load route,"
              + " or one bound in its Camel registry), so it cannot reload one table";
      LOG.warn("Could not reload table {} as {} asked: {}", table, hub, error);
      endedOf(hub).put(id, new TableReloadEnd(id, error));
      return;
    }
    running.put(id, table);
    LOG.info("Reloading table {} from {}, which asked for it (request {})", table, hub, id);
    threads.execute(
        () -> {
          String error = null;
          try {
            TableReloadReport report = verifier.reloadTable(table);
            if (!report.skipped().isEmpty()) {
              error =
                  "reloaded all but "
                      + report.skipped().size()
                      + " key ranges of "
                      + table
                      + ", whose rows kept changing while it ran: ask again";
            }
          } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("Could not reload table {} from {} as it asked: {}", table, hub, error);
          } finally {
            endedOf(hub).put(id, new TableReloadEnd(id, error));
            running.remove(id);
          }
        });
  }

  private static String signature(
      byte[] secret, String hub, String requester, String pullId, String list) {
    byte[] signed =
        ("deltasync-reload-tables/1\n" + hub + "\n" + requester + "\n" + pullId + "\n" + list)
            .getBytes(StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(Hmac.sha256(secret, signed));
  }
}
