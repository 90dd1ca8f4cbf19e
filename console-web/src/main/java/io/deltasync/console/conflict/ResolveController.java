package io.deltasync.console.conflict;

import io.deltasync.conflict.ConflictException;
import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.Conflicts;
import io.deltasync.conflict.Row;
import io.deltasync.console.audit.AuditEntry.Outcome;
import io.deltasync.console.audit.AuditLog;
import io.deltasync.store.DeltaStore;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Resolving an open conflict: a confirmation page that shows the row the decision makes, then the
 * POST that calls {@link Conflicts#resolve} and audits it. Form fields {@code col.<column>} hold
 * custom values.
 */
@Controller
class ResolveController {

  static final String VIEW_CONFIRM = "conflicts/resolve";
  static final String ACTION = "RESOLVE_CONFLICT";

  private final Conflicts conflicts;
  private final AuditLog audit;
  private final DeltaStore store;

  ResolveController(Conflicts conflicts, AuditLog audit, DeltaStore store) {
    this.conflicts = conflicts;
    this.audit = audit;
    this.store = store;
  }

  @GetMapping("/actions/conflicts/{id}/resolve")
  String confirm(
      @PathVariable long id,
      @RequestParam String decision,
      @RequestParam Map<String, String> form,
      Model model) {
    ConflictRecord conflict = ConflictsController.find(conflicts, id);
    Decision chosen = new Decision(decision, customValues(form));
    model.addAttribute("conflict", conflict);
    model.addAttribute("decision", chosen);
    model.addAttribute("sides", SideBySide.of(conflict));
    try {
      chosen.resolution(conflict);
      if (Decision.CUSTOM.equals(chosen.kind())) {
        Row row = chosen.customRow(conflict);
        Map<String, String> shown = new LinkedHashMap<>();
        row.columns().forEach(column -> shown.put(column, SideBySide.text(row.param(column))));
        model.addAttribute("customRow", shown);
      }
    } catch (IllegalArgumentException e) {
      model.addAttribute("error", e.getMessage());
    }
    return VIEW_CONFIRM;
  }

  @PostMapping("/actions/conflicts/{id}/resolve")
  String resolve(
      @PathVariable long id,
      @RequestParam String decision,
      @RequestParam Map<String, String> form,
      Principal user,
      RedirectAttributes redirect) {
    Result result = perform(id, new Decision(decision, customValues(form)), user.getName());
    redirect.addFlashAttribute(result.done() ? "message" : "error", result.message());
    return "redirect:/conflicts/" + id;
  }

  @PostMapping("/api/actions/conflicts/{id}/resolve")
  @ResponseBody
  ResponseEntity<Result> api(
      @PathVariable long id, @RequestBody Decision decision, Principal user) {
    Result result = perform(id, decision, user.getName());
    return ResponseEntity.status(result.done() ? HttpStatus.OK : HttpStatus.CONFLICT).body(result);
  }

  private Result perform(long id, Decision decision, String user) {
    ConflictRecord conflict = ConflictsController.find(conflicts, id);
    String target = "conflict " + id + " on " + conflict.table() + " " + conflict.rowKey();
    try {
      ConflictRecord resolved = conflicts.resolve(id, decision.resolution(conflict), user);
      String message = "Conflict " + id + " resolved: " + resolved.outcome();
      audit.record(
          user,
          ACTION,
          store.nodeId(),
          conflict.incoming().origin(),
          target,
          1,
          false,
          Outcome.DONE,
          message + " (" + decision.kind() + ")");
      return new Result(true, message);
    } catch (ConflictException | IllegalArgumentException e) {
      audit.record(
          user,
          ACTION,
          store.nodeId(),
          conflict.incoming().origin(),
          target,
          0,
          false,
          Outcome.FAILED,
          e.getMessage());
      return new Result(false, "Conflict " + id + " not resolved: " + e.getMessage());
    }
  }

  private static Map<String, String> customValues(Map<String, String> form) {
    Map<String, String> values = new LinkedHashMap<>();
    form.forEach(
        (name, value) -> {
          if (name.startsWith("col.")) {
            values.put(name.substring(4), value);
          }
        });
    return values;
  }

  /**
   * What a resolve did.
   *
   * @param done whether the conflict is resolved now
   * @param message what happened, in words
   */
  record Result(boolean done, String message) {}
}
