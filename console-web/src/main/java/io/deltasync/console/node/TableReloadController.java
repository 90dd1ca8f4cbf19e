package io.deltasync.console.node;

import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The reload of one table of this node from its hub, asked for from the reload preview of the hub
 * (a form per table) or the API, by an admin. It runs in the background ({@link TableReloads}); the
 * answer says it started, or why it was refused, and the audit log ({@code RELOAD_TABLE}) how it
 * ended. The preview is the node reload's ({@code /actions/reload?node=<hub>}).
 */
@Controller
class TableReloadController {

  private final TableReloads reloads;

  TableReloadController(TableReloads reloads) {
    this.reloads = reloads;
  }

  @PostMapping("/actions/reload-table")
  String reload(@RequestParam String table, Principal user, RedirectAttributes redirect) {
    TableReloads.Start start = reloads.start(table(table), user.getName());
    redirect.addFlashAttribute(start.started() ? "message" : "error", start.message());
    return reloads
        .hubId()
        .map(hub -> "redirect:/actions/reload?node=" + hub)
        .orElse("redirect:/nodes");
  }

  @PostMapping("/api/actions/reload-table")
  @ResponseBody
  ResponseEntity<Result> api(@RequestBody Request request, Principal user) {
    String table = table(request.table());
    TableReloads.Start start = reloads.start(table, user.getName());
    HttpStatus status =
        start.refusal() == null
            ? HttpStatus.ACCEPTED
            : start.refusal() == TableReloads.Refusal.NOT_REPLICATED
                ? HttpStatus.BAD_REQUEST
                : HttpStatus.CONFLICT;
    return ResponseEntity.status(status).body(new Result(start.started(), table, start.message()));
  }

  private static String table(String table) {
    if (table == null || table.isBlank()) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "table is required, such as note, but was " + table);
    }
    return table.trim();
  }

  /**
   * A table reload as the API takes it.
   *
   * @param table the table of this node to reload from its hub
   */
  record Request(String table) {}

  /**
   * What a table reload request did.
   *
   * @param started whether the reload started (it then runs in the background)
   * @param table the table, as asked for
   * @param message what happened, in words
   */
  record Result(boolean started, String table, String message) {}
}
