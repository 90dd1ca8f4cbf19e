package io.deltasync.console.deadletter;

import io.deltasync.apply.DeadLetter;
import io.deltasync.apply.DeadLetters;
import io.deltasync.console.system.ConsoleProperties;
import io.deltasync.console.system.Paging;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/** The Dead letters page and {@code /api/dead-letters}: newest first, keyset-paged by id. */
@Controller
class DeadLettersController {

  static final String VIEW_LIST = "deadletters/list";

  /** The statuses a dead letter can have. */
  static final List<String> STATUSES = List.of("QUARANTINED", "FAILED", "SKIPPED", "APPLIED");

  private final DeadLetters reader;
  private final ConsoleProperties properties;

  DeadLettersController(DeadLetters reader, ConsoleProperties properties) {
    this.reader = reader;
    this.properties = properties;
  }

  @GetMapping("/dead-letters")
  String list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) Long before,
      Model model) {
    Paging.Slice<DeadLetter> page = page(status, from, before);
    model.addAttribute("deadLetters", page.items());
    model.addAttribute("next", page.hasMore() ? page.last().id() : null);
    model.addAttribute("status", status);
    model.addAttribute("from", from);
    model.addAttribute("waiting", reader.count());
    model.addAttribute("statuses", STATUSES);
    return VIEW_LIST;
  }

  @GetMapping("/api/dead-letters")
  @ResponseBody
  List<DeadLetter> api(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) Long before) {
    return page(status, from, before).items();
  }

  @GetMapping("/api/dead-letters/{id}")
  @ResponseBody
  DeadLetter apiDetail(@PathVariable long id) {
    return reader
        .find(id)
        .orElseThrow(
            () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no dead letter " + id));
  }

  private Paging.Slice<DeadLetter> page(String status, String from, Long before) {
    int size = properties.getPageSize();
    return Paging.slice(
        reader.list(status, from, before == null ? Long.MAX_VALUE : before, size + 1), size);
  }
}
