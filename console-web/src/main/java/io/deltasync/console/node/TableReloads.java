package io.deltasync.console.node;

import io.deltasync.console.audit.AuditEntry.Outcome;
import io.deltasync.console.audit.AuditLog;
import io.deltasync.load.HubReloads;
import io.deltasync.load.LoadException;
import io.deltasync.store.DeltaStore;
import io.deltasync.verify.TableReloadReport;
import io.deltasync.verify.Verifier;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The console's reloads of one table of this node from its hub, through the node's {@link Verifier}
 * (a client of a hub has one): each runs on a background thread of its own and writes one {@code
 * RELOAD_TABLE} entry to the audit log when it ends, with the report's numbers or the error; a
 * refusal is audited at once.
 *
 * <p>Refused: on a node without a {@code Verifier} (not a client of a hub), for a table the node
 * does not replicate, and for a table whose reload is still running. Reloads of different tables
 * may run side by side, at most one per table. Thread-safe; the reloads still running when the
 * console stops are interrupted.
 */
@Component
public class TableReloads implements DisposableBean {

  /** The audit log's name of the action. */
  static final String ACTION = "RELOAD_TABLE";

  private static final Logger LOG = LoggerFactory.getLogger(TableReloads.class);

  private final ObjectProvider<Verifier> verifier;
  private final HubReloads tables;
  private final DeltaStore store;
  private final AuditLog audit;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads;

  public TableReloads(
      ObjectProvider<Verifier> verifier, HubReloads tables, DeltaStore store, AuditLog audit) {
    this.verifier = verifier;
    this.tables = tables;
    this.store = store;
    this.audit = audit;
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "deltasync-table-reload-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The hub this node reloads tables from; empty when it has no {@code Verifier}. */
  public Optional<String> hubId() {
    return Optional.ofNullable(verifier.getIfAvailable()).map(Verifier::hubId);
  }

  /** The tables whose reload is running now, in name order. */
  public Set<String> running() {
    return new TreeSet<>(running);
  }

  /**
   * Starts reloading the table from this node's hub in the background, or refuses it and audits the
   * refusal.
   *
   * @param table the table, as the reload preview names it
   * @param user who asks, for the audit log
   */
  public Start start(String table, String user) {
    String name = table.trim().toLowerCase(Locale.ROOT);
    Verifier reloader = verifier.getIfAvailable();
    if (reloader == null) {
      return refused(
          user,
          name,
          null,
          Refusal.NO_VERIFIER,
          store.nodeId()
              + " is not a client of a hub (no Verifier: it needs deltasync.node.upstream and"
              + " deltasync.ship.upstream-url), so it has no hub to reload table "
              + name
              + " from");
    }
    String hub = reloader.hubId();
    Set<String> replicated;
    try {
      replicated = tables.rowCounts().keySet();
    } catch (LoadException e) {
      return refused(user, name, hub, Refusal.NOT_REPLICATED, e.getMessage());
    }
    if (!replicated.contains(name)) {
      return refused(
          user,
          name,
          hub,
          Refusal.NOT_REPLICATED,
          "table "
              + name
              + " is not replicated by "
              + store.nodeId()
              + ", so it cannot be reloaded from "
              + hub
              + " (it replicates "
              + (replicated.isEmpty() ? "no table" : String.join(", ", replicated))
              + ")");
    }
    if (!running.add(name)) {
      return refused(
          user,
          name,
          hub,
          Refusal.RUNNING,
          "a reload of table "
              + name
              + " from "
              + hub
              + " is running already: its end shows in the audit log ("
              + ACTION
              + ")");
    }
    try {
      threads.execute(() -> run(reloader, name, user));
    } catch (RuntimeException e) {
      running.remove(name);
      throw e;
    }
    return new Start(
        null,
        "Reload of table "
            + name
            + " of "
            + store.nodeId()
            + " from "
            + hub
            + " started: it runs in the background, and the audit log tells how it ended ("
            + ACTION
            + ")");
  }

  private void run(Verifier reloader, String table, String user) {
    String hub = reloader.hubId();
    try {
      TableReloadReport report = reloader.reloadTable(table);
      audit.record(
          user,
          ACTION,
          store.nodeId(),
          hub,
          "table " + table,
          report.written() + report.deleted(),
          false,
          Outcome.DONE,
          done(report));
    } catch (RuntimeException e) {
      String message = "Reload of table " + table + " from " + hub + " failed: " + e.getMessage();
      LOG.warn("{} (asked by {} in the console)", message, user);
      audit.record(
          user, ACTION, store.nodeId(), hub, "table " + table, 0, false, Outcome.FAILED, message);
    } finally {
      running.remove(table);
    }
  }

  private String done(TableReloadReport report) {
    return "Reloaded table "
        + report.table()
        + " of "
        + store.nodeId()
        + " from "
        + report.hubId()
        + ": "
        + report.written()
        + " rows written, "
        + report.deleted()
        + " deleted; key ranges: "
        + report.reloadedRanges()
        + " reloaded, "
        + report.skipped().size()
        + " skipped"
        + (report.complete()
            ? ""
            : " (rows were written there meanwhile: reload or verify the table again)")
        + "; caught up to seq "
        + report.hubSeq()
        + " of "
        + report.hubId()
        + ", in "
        + report.millis()
        + " ms";
  }

  private Start refused(String user, String table, String hub, Refusal refusal, String reason) {
    String message = "Reload of table " + table + " refused: " + reason;
    audit.record(
        user, ACTION, store.nodeId(), hub, "table " + table, 0, false, Outcome.REFUSED, message);
    return new Start(refusal, message);
  }

  /**
   * Interrupts the reloads still running: one waiting for the node to catch up with its hub ends
   * failed; the ranges reloaded until then stay reloaded.
   */
  @Override
  public void destroy() {
    threads.shutdownNow();
  }

  /** Why a table reload was not started. */
  public enum Refusal {
    /** This node is not a client of a hub. */
    NO_VERIFIER,
    /** The node does not replicate the table. */
    NOT_REPLICATED,
    /** A reload of the table is running already. */
    RUNNING
  }

  /**
   * What asking for a table reload did.
   *
   * @param refusal why it was refused; null when it started
   * @param message what happened, in words
   */
  public record Start(Refusal refusal, String message) {

    /** Whether the reload started. */
    public boolean started() {
      return refusal == null;
    }
  }
}
