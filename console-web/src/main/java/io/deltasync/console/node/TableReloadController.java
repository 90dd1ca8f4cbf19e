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
 * The reload of one table, asked for from the reload preview (a form per table) or the API, by an
 * admin. Without {@code node} (or with this node's id), of this node's table from its hub: it runs
 * in the background ({@link TableReloads}); the answer says it started, or why it was refused, and
 * the audit log ({@code RELOAD_TABLE}) how it ended. With a peer's id as {@code node}, this node
 * asks the peer to reload the table from it ({@link PeerTableReloads}): the answer says it was
 * asked, asked already, or refused; the request shows on the Nodes page until the peer reports it
 * done, and may be withdrawn there. The preview is the node reload's ({@code
 * /actions/reload?node=<hub or peer>}).
 */
@Controller
class TableReloadController {

  private final TableReloads reloads;
  private final PeerTableReloads peers;

  TableReloadController(TableReloads reloads, PeerTableReloads peers) {
    this.reloads = reloads;
    this.peers = peers;
  }

  @PostMapping("/actions/reload-table")
  String reload(
      @RequestParam(required = false) String node,
      @RequestParam String table,
      Principal user,
      RedirectAttributes redirect) {
    if (peers.isPeer(node)) {
      PeerTableReloads.Result asked =
          peers.request(ReloadController.node(node), table(table), user.getName());
      redirect.addFlashAttribute(asked.done() ? "message" : "error", asked.message());
      return "redirect:/nodes";
    }
    TableReloads.Start start = reloads.start(table(table), user.getName());
    redirect.addFlashAttribute(start.started() ? "message" : "error", start.message());
    return reloads
        .hubId()
        .map(hub -> "redirect:/actions/reload?node=" + hub)
        .orElse("redirect:/nodes");
  }

  @PostMapping("/api/actions/reload-table")
  @ResponseBody
  ResponseEntity<?> api(@RequestBody Request request, Principal user) {
    String table = table(request.table());
    if (peers.isPeer(request.node())) {
      PeerTableReloads.Result asked =
          peers.request(ReloadController.node(request.node()), table, user.getName());
      return ResponseEntity.status(asked.done() ? HttpStatus.OK : HttpStatus.CONFLICT).body(asked);
    }
    TableReloads.Start start = reloads.start(table, user.getName());
    HttpStatus status =
        start.refusal() == null
            ? HttpStatus.ACCEPTED
            : start.refusal() == TableReloads.Refusal.NOT_REPLICATED
                ? HttpStatus.BAD_REQUEST
                : HttpStatus.CONFLICT;
    return ResponseEntity.status(status).body(new Result(start.started(), table, start.message()));
  }

  @PostMapping("/actions/reload-table/cancel")
  String cancel(
      @RequestParam String node,
      @RequestParam String table,
      Principal user,
      RedirectAttributes redirect) {
    PeerTableReloads.Result withdrawn =
        peers.cancel(ReloadController.node(node), table(table), user.getName());
    redirect.addFlashAttribute(withdrawn.done() ? "message" : "error", withdrawn.message());
    return "redirect:/nodes";
  }

  @PostMapping("/api/actions/reload-table/cancel")
  @ResponseBody
  ResponseEntity<PeerTableReloads.Result> apiCancel(@RequestBody Request request, Principal user) {
    PeerTableReloads.Result withdrawn =
        peers.cancel(ReloadController.node(request.node()), table(request.table()), user.getName());
    return ResponseEntity.status(withdrawn.done() ? HttpStatus.OK : HttpStatus.CONFLICT)
        .body(withdrawn);
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
   * @param node the peer to ask to reload the table from this node; null (or this node's id) to
   *     reload this node's table from its hub
   * @param table the table to reload
   */
  record Request(String node, String table) {}

  /**
   * What a reload of this node's table did.
   *
   * @param started whether the reload started (it then runs in the background)
   * @param table the table, as asked for
   * @param message what happened, in words
   */
  record Result(boolean started, String table, String message) {}
}
