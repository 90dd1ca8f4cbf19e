package io.deltasync.console.delta;

import io.deltasync.console.audit.AuditEntry.Outcome;
import io.deltasync.console.audit.AuditLog;
import io.deltasync.console.system.Times;
import io.deltasync.store.DeltaMaintenance;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.PurgePreview;
import io.deltasync.store.PurgeRefusedException;
import java.security.Principal;
import java.time.Instant;
import java.util.Map;
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
 * Purging deltas: what every peer acknowledged, or what was stored before a date. The confirmation
 * page shows how many deltas go and which peers still need some; such a purge is refused unless
 * "force" is ticked, and a forced purge is audited as forced.
 */
@Controller
class PurgeController {

  static final String VIEW_CONFIRM = "actions/purge";
  static final String ACTION = "PURGE";

  private final DeltaMaintenance maintenance;
  private final AuditLog audit;
  private final DeltaStore store;

  PurgeController(DeltaMaintenance maintenance, AuditLog audit, DeltaStore store) {
    this.maintenance = maintenance;
    this.audit = audit;
    this.store = store;
  }

  @GetMapping("/actions/purge")
  String confirm(@RequestParam(required = false) String olderThan, Model model) {
    PurgePreview preview = preview(olderThan);
    model.addAttribute("preview", preview);
    model.addAttribute("criterion", criterion(preview));
    model.addAttribute("olderThan", olderThan);
    return VIEW_CONFIRM;
  }

  @PostMapping("/actions/purge")
  String purge(
      @RequestParam(required = false) String olderThan,
      @RequestParam(defaultValue = "false") boolean force,
      @RequestParam(required = false) Long upToSeq,
      Principal user,
      RedirectAttributes redirect) {
    Result result = perform(new Request(olderThan, force, upToSeq), user.getName());
    redirect.addFlashAttribute(result.done() ? "message" : "error", result.message());
    return "redirect:/deltas";
  }

  @GetMapping("/api/actions/purge")
  @ResponseBody
  PurgePreview apiPreview(@RequestParam(required = false) String olderThan) {
    return preview(olderThan);
  }

  @PostMapping("/api/actions/purge")
  @ResponseBody
  ResponseEntity<Result> api(@RequestBody Request request, Principal user) {
    Result result = perform(request, user.getName());
    return ResponseEntity.status(result.done() ? HttpStatus.OK : HttpStatus.CONFLICT).body(result);
  }

  private Result perform(Request request, String user) {
    PurgePreview preview = bounded(preview(request.olderThan()), request.upToSeq());
    String target = criterion(preview) + ", seq <= " + preview.upToSeq();
    try {
      long deleted = maintenance.purge(preview, request.force());
      String message =
          "Purged "
              + deleted
              + " deltas "
              + criterion(preview)
              + (preview.stillNeededBy().isEmpty()
                  ? ""
                  : "; forced, though peers still needed " + preview.stillNeededBy());
      audit.record(
          user,
          ACTION,
          store.nodeId(),
          null,
          target,
          deleted,
          request.force(),
          Outcome.DONE,
          message);
      return new Result(true, deleted, message);
    } catch (PurgeRefusedException e) {
      audit.record(
          user, ACTION, store.nodeId(), null, target, 0, false, Outcome.REFUSED, e.getMessage());
      return new Result(false, 0, e.getMessage());
    } catch (RuntimeException e) {
      audit.record(
          user,
          ACTION,
          store.nodeId(),
          null,
          target,
          0,
          request.force(),
          Outcome.FAILED,
          e.getMessage());
      return new Result(false, 0, "Purge failed: " + e.getMessage());
    }
  }

  /**
   * The preview cut at the seq the admin confirmed, so that deltas acknowledged or stored after the
   * confirmation page was shown are not deleted; the engine checks again who still needs what.
   */
  private static PurgePreview bounded(PurgePreview now, Long confirmedUpTo) {
    if (confirmedUpTo == null || confirmedUpTo >= now.upToSeq()) {
      return now;
    }
    return new PurgePreview(
        now.criterion(), now.olderThan(), Math.max(0, confirmedUpTo), now.count(), Map.of());
  }

  /** The preview's criterion in words. */
  static String criterion(PurgePreview preview) {
    return preview.olderThan() == null
        ? "acknowledged by every peer"
        : "stored before " + preview.olderThan();
  }

  private PurgePreview preview(String olderThan) {
    Instant before;
    try {
      before = Times.parse(olderThan);
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage(), e);
    }
    return before == null
        ? maintenance.previewPurgeAcknowledged()
        : maintenance.previewPurgeOlderThan(before);
  }

  /**
   * A purge as the API takes it.
   *
   * @param olderThan purge what was stored before this time (ISO-8601); null purges what every peer
   *     acknowledged
   * @param force purge even what a peer still needs
   * @param upToSeq at most up to this seq, the one the preview showed; null for the current one
   */
  record Request(String olderThan, boolean force, Long upToSeq) {}

  /**
   * What a purge did.
   *
   * @param done whether it ran
   * @param deleted how many deltas it deleted
   * @param message what happened, in words
   */
  record Result(boolean done, long deleted, String message) {}
}
