package io.deltasync.console.audit;

import io.deltasync.console.system.ConsoleProperties;
import io.deltasync.console.system.Paging;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** The Audit page and {@code /api/audit}: newest first, keyset-paged by id. */
@Controller
class AuditController {

  static final String VIEW_LIST = "audit/list";

  private final AuditLog log;
  private final ConsoleProperties properties;

  AuditController(AuditLog log, ConsoleProperties properties) {
    this.log = log;
    this.properties = properties;
  }

  @GetMapping("/audit")
  String list(
      @RequestParam(required = false) String action,
      @RequestParam(required = false) Long before,
      Model model) {
    Paging.Slice<AuditEntry> page = page(action, before);
    model.addAttribute("entries", page.items());
    model.addAttribute("next", page.hasMore() ? page.last().id() : null);
    model.addAttribute("action", action);
    return VIEW_LIST;
  }

  @GetMapping("/api/audit")
  @ResponseBody
  List<AuditEntry> api(
      @RequestParam(required = false) String action, @RequestParam(required = false) Long before) {
    return page(action, before).items();
  }

  private Paging.Slice<AuditEntry> page(String action, Long before) {
    int size = properties.getPageSize();
    return Paging.slice(log.list(action, before == null ? Long.MAX_VALUE : before, size + 1), size);
  }
}
