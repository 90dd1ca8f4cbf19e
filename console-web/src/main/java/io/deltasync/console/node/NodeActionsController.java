package io.deltasync.console.node;

import io.deltasync.console.audit.AuditEntry.Outcome;
import io.deltasync.console.audit.AuditLog;
import io.deltasync.delta.Delta;
import io.deltasync.node.SyncNode;
import io.deltasync.store.DeltaMaintenance;
import io.deltasync.store.DeltaStore;
import java.security.Principal;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
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
 * The Nodes page's actions on one peer: re-send from a seq (preview: how many deltas go again) and
 * pause or resume shipping to it. Each is confirmed on its own page and audited.
 */
@Controller
class NodeActionsController {

  static final String VIEW_RESEND = "actions/resend";
  static final String VIEW_SHIPPING = "actions/shipping";

  private final DeltaMaintenance maintenance;
  private final ShippingSwitch shipping;
  private final DeltaStore store;
  private final AuditLog audit;
  private final ObjectProvider<SyncNode> node;

  NodeActionsController(
      DeltaMaintenance maintenance,
      ShippingSwitch shipping,
      DeltaStore store,
      AuditLog audit,
      ObjectProvider<SyncNode> node) {
    this.maintenance = maintenance;
    this.shipping = shipping;
    this.store = store;
    this.audit = audit;
    this.node = node;
  }

  @GetMapping("/actions/resend")
  String confirmResend(
      @RequestParam String peer, @RequestParam(required = false) Long fromSeq, Model model) {
    long from = fromSeq == null ? 0 : fromSeq;
    model.addAttribute("peer", peer(peer));
    model.addAttribute("pointers", store.pointers(peer));
    model.addAttribute("fromSeq", from);
    model.addAttribute("count", maintenance.countToResend(peer, from));
    return VIEW_RESEND;
  }

  @PostMapping("/actions/resend")
  String resend(
      @RequestParam String peer,
      @RequestParam long fromSeq,
      Principal user,
      RedirectAttributes redirect) {
    Result result = resend(new Resend(peer, fromSeq), user.getName());
    redirect.addFlashAttribute(result.done() ? "message" : "error", result.message());
    return "redirect:/nodes";
  }

  @PostMapping("/api/actions/resend")
  @ResponseBody
  ResponseEntity<Result> apiResend(@RequestBody Resend request, Principal user) {
    Result result = resend(request, user.getName());
    return ResponseEntity.status(result.done() ? HttpStatus.OK : HttpStatus.CONFLICT).body(result);
  }

  @GetMapping("/actions/shipping")
  String confirmShipping(@RequestParam String peer, @RequestParam boolean pause, Model model) {
    model.addAttribute("peer", peer(peer));
    model.addAttribute("pause", pause);
    model.addAttribute("routes", shipping.routes(peer));
    return VIEW_SHIPPING;
  }

  @PostMapping("/actions/shipping")
  String switchShipping(
      @RequestParam String peer,
      @RequestParam boolean pause,
      Principal user,
      RedirectAttributes redirect) {
    Result result = switchShipping(new Shipping(peer, pause), user.getName());
    redirect.addFlashAttribute(result.done() ? "message" : "error", result.message());
    return "redirect:/nodes";
  }

  @PostMapping("/api/actions/shipping")
  @ResponseBody
  ResponseEntity<Result> apiShipping(@RequestBody Shipping request, Principal user) {
    Result result = switchShipping(request, user.getName());
    return ResponseEntity.status(result.done() ? HttpStatus.OK : HttpStatus.CONFLICT).body(result);
  }

  private Result resend(Resend request, String user) {
    String peer = peer(request.peer());
    String target = "seq > " + request.fromSeq();
    try {
      long count = maintenance.resendFrom(peer, request.fromSeq());
      SyncNode syncNode = node.getIfAvailable();
      if (syncNode != null) {
        syncNode.rewindFeed(peer, request.fromSeq()); // for a peer that pulls from this node
      }
      String message =
          "Re-sending " + count + " deltas to " + peer + " (seq after " + request.fromSeq() + ")";
      audit.record(
          user, "RESEND", store.nodeId(), peer, target, count, false, Outcome.DONE, message);
      return new Result(true, count, message);
    } catch (RuntimeException e) {
      audit.record(
          user, "RESEND", store.nodeId(), peer, target, 0, false, Outcome.FAILED, e.getMessage());
      return new Result(false, 0, "Re-send to " + peer + " failed: " + e.getMessage());
    }
  }

  private Result switchShipping(Shipping request, String user) {
    String peer = peer(request.peer());
    String action = request.pause() ? "PAUSE_SHIPPING" : "RESUME_SHIPPING";
    try {
      List<String> routes = request.pause() ? shipping.pause(peer) : shipping.resume(peer);
      if (routes.isEmpty()) {
        String message =
            "No route of this node ships to " + peer + " and this node serves no feed to pull from";
        audit.record(user, action, store.nodeId(), peer, null, 0, false, Outcome.REFUSED, message);
        return new Result(false, 0, message);
      }
      String message =
          (request.pause() ? "Paused" : "Resumed") + " shipping to " + peer + ": " + routes;
      audit.record(
          user,
          action,
          store.nodeId(),
          peer,
          String.join(",", routes),
          routes.size(),
          false,
          Outcome.DONE,
          message);
      return new Result(true, routes.size(), message);
    } catch (Exception e) {
      audit.record(
          user, action, store.nodeId(), peer, null, 0, false, Outcome.FAILED, e.getMessage());
      return new Result(false, 0, action + " for " + peer + " failed: " + e.getMessage());
    }
  }

  private static String peer(String peer) {
    try {
      return Delta.requireNodeId(peer, "peer");
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage(), e);
    }
  }

  /**
   * A re-send as the API takes it.
   *
   * @param peer the peer to send to again
   * @param fromSeq send again every delta after this seq
   */
  record Resend(String peer, long fromSeq) {}

  /**
   * Pausing or resuming shipping to a peer, as the API takes it.
   *
   * @param peer the peer
   * @param pause true pauses, false resumes
   */
  record Shipping(String peer, boolean pause) {}

  /**
   * What an action did.
   *
   * @param done whether it ran
   * @param rows how many deltas (re-send) or routes (pause, resume) it concerned
   * @param message what happened, in words
   */
  record Result(boolean done, long rows, String message) {}
}
