package io.deltasync.console.node;

import io.deltasync.console.audit.AuditEntry.Outcome;
import io.deltasync.console.audit.AuditLog;
import io.deltasync.delta.Delta;
import io.deltasync.load.LoadException;
import io.deltasync.load.LoadProgress;
import io.deltasync.store.DeltaStore;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Nodes page's reload of a node: a peer reloads from this node (its rows replaced by this
 * node's, its unpushed writes kept), or this node from its own hub. The confirmation page previews
 * the rows per table; the reload is asked for by an admin's POST and audited ({@code RELOAD}). The
 * page also offers each table alone ({@link TableReloadController}): of this node from its hub, or
 * of a peer from this node.
 */
@Controller
class ReloadController {

  static final String VIEW_RELOAD = "actions/reload";
  static final String ACTION = "RELOAD";

  private final NodeReloads reloads;
  private final TableReloads tables;
  private final DeltaStore store;
  private final AuditLog audit;

  ReloadController(NodeReloads reloads, TableReloads tables, DeltaStore store, AuditLog audit) {
    this.reloads = reloads;
    this.tables = tables;
    this.store = store;
    this.audit = audit;
  }

  @GetMapping("/actions/reload")
  String confirm(@RequestParam String node, Model model) {
    model.addAttribute("node", node(node));
    try {
      NodeReloads.Plan plan = reloads.plan(node);
      model.addAttribute("plan", plan);
      // a table alone comes only from the hub this node's Verifier compares with
      boolean perTable = plan.local() && tables.hubId().filter(plan.source()::equals).isPresent();
      model.addAttribute("perTable", perTable);
      model.addAttribute("peerTables", !plan.local());
      model.addAttribute("tablesReloading", tables.running());
    } catch (LoadException e) {
      model.addAttribute("error", e.getMessage());
    }
    return VIEW_RELOAD;
  }

  @PostMapping("/actions/reload")
  String reload(@RequestParam String node, Principal user, RedirectAttributes redirect) {
    Result result = reload(new Request(node), user.getName());
    redirect.addFlashAttribute(result.done() ? "message" : "error", result.message());
    return "redirect:/nodes";
  }

  @GetMapping("/api/actions/reload")
  @ResponseBody
  ResponseEntity<?> apiPreview(@RequestParam String node) {
    try {
      return ResponseEntity.ok(reloads.plan(node(node)));
    } catch (LoadException e) {
      return ResponseEntity.status(HttpStatus.CONFLICT).body(new Result(false, 0, e.getMessage()));
    }
  }

  @PostMapping("/api/actions/reload")
  @ResponseBody
  ResponseEntity<Result> api(@RequestBody Request request, Principal user) {
    Result result = reload(request, user.getName());
    return ResponseEntity.status(result.done() ? HttpStatus.OK : HttpStatus.CONFLICT).body(result);
  }

  private Result reload(Request request, String user) {
    String node = node(request.node());
    try {
      NodeReloads.Plan plan = reloads.plan(node);
      String target = plan.node() + " from " + plan.source();
      if (!reloads.request(node, user + " (console)")) {
        String message =
            "A reload of " + node + " from " + plan.source() + " is due already: " + plan.reason();
        audit.record(
            user, ACTION, store.nodeId(), node, target, 0, false, Outcome.REFUSED, message);
        return new Result(false, 0, message);
      }
      String message = requested(plan);
      audit.record(
          user,
          ACTION,
          store.nodeId(),
          node,
          target,
          plan.totalRows(),
          false,
          Outcome.DONE,
          message);
      return new Result(true, plan.totalRows(), message);
    } catch (LoadException e) {
      audit.record(
          user, ACTION, store.nodeId(), node, null, 0, false, Outcome.REFUSED, e.getMessage());
      return new Result(false, 0, "Reload of " + node + " refused: " + e.getMessage());
    } catch (RuntimeException e) {
      audit.record(
          user, ACTION, store.nodeId(), node, null, 0, false, Outcome.FAILED, e.getMessage());
      return new Result(false, 0, "Reload of " + node + " failed: " + e.getMessage());
    }
  }

  /** What the console says once the reload is asked for. */
  private static String requested(NodeReloads.Plan plan) {
    if (!plan.local()) {
      return "Reload of "
          + plan.node()
          + " requested: "
          + plan.source()
          + " refuses its pulls until it has reloaded ("
          + plan.totalRows()
          + " rows here now)";
    }
    boolean held = plan.state() == LoadProgress.State.HELD;
    return (held ? "Released the held reload of " : "Reload of ")
        + plan.node()
        + " from "
        + plan.source()
        + (held ? "" : " requested")
        + ": it runs in place of the next pull, replacing the "
        + plan.totalRows()
        + " rows this node holds";
  }

  /** The node id as given; 400 when it is not one. */
  static String node(String node) {
    try {
      return Delta.requireNodeId(node, "node");
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage(), e);
    }
  }

  /**
   * A reload as the API takes it.
   *
   * @param node the peer to reload from this node, or this node's own hub to reload from it
   */
  record Request(String node) {}

  /**
   * What a reload request did.
   *
   * @param done whether the reload was asked for
   * @param rows the rows the reload copies, as counted when it was asked for
   * @param message what happened, in words
   */
  record Result(boolean done, long rows, String message) {}
}
