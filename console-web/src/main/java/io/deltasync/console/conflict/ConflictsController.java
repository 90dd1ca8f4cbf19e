package io.deltasync.console.conflict;

import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.ConflictStatus;
import io.deltasync.conflict.Conflicts;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/** The Conflicts page, a conflict's side-by-side detail, and {@code /api/conflicts}. */
@Controller
class ConflictsController {

  static final String VIEW_LIST = "conflicts/list";
  static final String VIEW_DETAIL = "conflicts/detail";

  private final Conflicts conflicts;

  ConflictsController(Conflicts conflicts) {
    this.conflicts = conflicts;
  }

  @GetMapping("/conflicts")
  String list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String table,
      @RequestParam(required = false) String policy,
      Model model) {
    ConflictFilter filter = filter(status, table, policy);
    model.addAttribute("filter", filter);
    model.addAttribute("conflicts", list(filter));
    model.addAttribute("statuses", ConflictStatus.values());
    model.addAttribute("openCount", conflicts.count(ConflictStatus.OPEN));
    return VIEW_LIST;
  }

  @GetMapping("/conflicts/{id}")
  String detail(@PathVariable long id, Model model) {
    ConflictRecord conflict = find(conflicts, id);
    model.addAttribute("conflict", conflict);
    model.addAttribute("sides", SideBySide.of(conflict));
    return VIEW_DETAIL;
  }

  @GetMapping("/api/conflicts")
  @ResponseBody
  List<ConflictRecord> api(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String table,
      @RequestParam(required = false) String policy) {
    return list(filter(status, table, policy));
  }

  @GetMapping("/api/conflicts/{id}")
  @ResponseBody
  ConflictRecord apiDetail(@PathVariable long id) {
    return find(conflicts, id);
  }

  /** The newest {@link Conflicts#MAX_LIST} conflicts of the status that pass the filter. */
  private List<ConflictRecord> list(ConflictFilter filter) {
    return conflicts.list(filter.status(), Conflicts.MAX_LIST).stream()
        .filter(filter::matches)
        .toList();
  }

  static ConflictRecord find(Conflicts conflicts, long id) {
    return conflicts
        .find(id)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no conflict " + id));
  }

  private static ConflictFilter filter(String status, String table, String policy) {
    try {
      return new ConflictFilter(
          status == null || status.isBlank()
              ? null
              : ConflictStatus.valueOf(status.trim().toUpperCase(Locale.ROOT)),
          table,
          policy);
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "unknown status " + status, e);
    }
  }
}
