package io.deltasync.console.deadletter;

import io.deltasync.apply.DeadLetter;
import io.deltasync.apply.DeadLetterOutcome;
import io.deltasync.apply.DeadLetters;
import io.deltasync.console.audit.AuditEntry.Outcome;
import io.deltasync.console.audit.AuditLog;
import io.deltasync.store.DeltaStore;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
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
 * Retrying (applying again) or skipping (marking handled, so the sender's stream goes on) dead
 * letters, one or many, through the engine's {@link DeadLetters}: a confirmation page lists them,
 * the POST performs and writes one audit row per dead letter.
 */
@Controller
class DeadLetterActionsController {

  static final String VIEW_CONFIRM = "actions/dead-letters";

  private final DeadLetters deadLetters;
  private final AuditLog audit;
  private final DeltaStore store;

  DeadLetterActionsController(DeadLetters deadLetters, AuditLog audit, DeltaStore store) {
    this.deadLetters = deadLetters;
    this.audit = audit;
    this.store = store;
  }

  @GetMapping("/actions/dead-letters")
  String confirm(
      @RequestParam(required = false) List<Long> ids, @RequestParam String operation, Model model) {
    List<Long> chosen = ids == null ? List.of() : ids;
    model.addAttribute("operation", operation(operation));
    model.addAttribute("ids", chosen);
    model.addAttribute(
        "deadLetters", chosen.stream().flatMap(id -> deadLetters.find(id).stream()).toList());
    return VIEW_CONFIRM;
  }

  @PostMapping("/actions/dead-letters")
  String perform(
      @RequestParam(required = false) List<Long> ids,
      @RequestParam String operation,
      Principal user,
      RedirectAttributes redirect) {
    Result result = perform(new Request(ids, operation), user.getName());
    redirect.addFlashAttribute(result.done() ? "message" : "error", result.message());
    return "redirect:/dead-letters";
  }

  @PostMapping("/api/actions/dead-letters")
  @ResponseBody
  ResponseEntity<Result> api(@RequestBody Request request, Principal user) {
    Result result = perform(request, user.getName());
    return ResponseEntity.status(result.done() ? HttpStatus.OK : HttpStatus.CONFLICT).body(result);
  }

  private Result perform(Request request, String user) {
    String operation = operation(request.operation());
    List<Long> ids = request.ids() == null ? List.of() : request.ids();
    if (ids.isEmpty()) {
      return new Result(false, List.of(), "Select at least one dead letter");
    }
    List<DeadLetterOutcome> outcomes =
        operation.equals("retry") ? deadLetters.retry(ids, user) : deadLetters.skip(ids, user);
    String action = operation.equals("retry") ? "RETRY_DEAD_LETTER" : "SKIP_DEAD_LETTER";
    for (DeadLetterOutcome outcome : outcomes) {
      String sender = deadLetters.find(outcome.id()).map(DeadLetter::receivedFrom).orElse(null);
      audit.record(
          user,
          action,
          store.nodeId(),
          sender,
          "dead letter " + outcome.id() + " (delta " + outcome.deltaId() + ")",
          outcome.done() ? 1 : 0,
          false,
          outcome(operation, outcome),
          outcome.message());
    }
    long done = outcomes.stream().filter(DeadLetterOutcome::done).count();
    String message =
        (operation.equals("retry") ? "Retried " : "Skipped ")
            + done
            + " of "
            + outcomes.size()
            + " dead letters"
            + (done == outcomes.size()
                ? ""
                : ": "
                    + outcomes.stream()
                        .filter(outcome -> !outcome.done())
                        .map(outcome -> outcome.id() + " " + outcome.message())
                        .toList());
    return new Result(done == outcomes.size(), outcomes, message);
  }

  /**
   * DONE when handled; TRIED for a FAILED delta's retry, which only tries it (it applies with its
   * batch when its sender delivers it again); REFUSED otherwise.
   */
  private static Outcome outcome(String operation, DeadLetterOutcome outcome) {
    if (outcome.done()) {
      return Outcome.DONE;
    }
    return operation.equals("retry") && "FAILED".equals(outcome.status())
        ? Outcome.TRIED
        : Outcome.REFUSED;
  }

  private static String operation(String operation) {
    String lower = operation == null ? "" : operation.trim().toLowerCase(Locale.ROOT);
    if (!lower.equals("retry") && !lower.equals("skip")) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "operation must be retry or skip, but was '" + operation + "'");
    }
    return lower;
  }

  /**
   * A retry or skip as the API takes it.
   *
   * @param ids the dead letters
   * @param operation retry or skip
   */
  record Request(List<Long> ids, String operation) {}

  /**
   * What a retry or skip did.
   *
   * @param done whether every dead letter was handled
   * @param outcomes each dead letter's outcome
   * @param message what happened, in words
   */
  record Result(boolean done, List<DeadLetterOutcome> outcomes, String message) {}
}
