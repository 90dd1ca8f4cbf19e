package io.deltasync.console.delta;

import io.deltasync.console.system.ConsoleProperties;
import io.deltasync.console.system.Paging;
import io.deltasync.console.system.Times;
import io.deltasync.delta.Kind;
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

/** The Deltas page, a delta's decoded detail, and {@code /api/deltas}. */
@Controller
class DeltasController {

  static final String VIEW_LIST = "deltas/list";
  static final String VIEW_DETAIL = "deltas/detail";

  private final DeltaReader reader;
  private final ConsoleProperties properties;

  DeltasController(DeltaReader reader, ConsoleProperties properties) {
    this.reader = reader;
    this.properties = properties;
  }

  @GetMapping("/deltas")
  String list(
      @RequestParam(required = false) String peer,
      @RequestParam(required = false) String origin,
      @RequestParam(required = false) String table,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String statementId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "newest") String order,
      @RequestParam(required = false) Long cursor,
      Model model) {
    DeltaFilter filter = filter(peer, origin, table, kind, statementId, from, to, order, cursor);
    Paging.Slice<StoredDelta> page = page(filter);
    model.addAttribute("filter", filter);
    model.addAttribute("fromText", from);
    model.addAttribute("toText", to);
    model.addAttribute("deltas", page.items());
    model.addAttribute("next", page.hasMore() ? page.last().delta().seq() : null);
    model.addAttribute("peers", reader.peers());
    model.addAttribute("kinds", Kind.values());
    return VIEW_LIST;
  }

  @GetMapping("/deltas/{seq}")
  String detail(@PathVariable long seq, Model model) {
    model.addAttribute("stored", find(seq));
    return VIEW_DETAIL;
  }

  @GetMapping("/api/deltas")
  @ResponseBody
  List<StoredDelta> api(
      @RequestParam(required = false) String peer,
      @RequestParam(required = false) String origin,
      @RequestParam(required = false) String table,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String statementId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "newest") String order,
      @RequestParam(required = false) Long cursor) {
    return page(filter(peer, origin, table, kind, statementId, from, to, order, cursor)).items();
  }

  @GetMapping("/api/deltas/{seq}")
  @ResponseBody
  StoredDelta apiDetail(@PathVariable long seq) {
    return find(seq);
  }

  private StoredDelta find(long seq) {
    return reader
        .find(seq)
        .orElseThrow(
            () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no delta with seq " + seq));
  }

  private Paging.Slice<StoredDelta> page(DeltaFilter filter) {
    int size = properties.getPageSize();
    return Paging.slice(reader.list(filter, size + 1), size);
  }

  private static DeltaFilter filter(
      String peer,
      String origin,
      String table,
      String kind,
      String statementId,
      String from,
      String to,
      String order,
      Long cursor) {
    try {
      return new DeltaFilter(
          peer,
          origin,
          table,
          kind == null || kind.isBlank() ? null : Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
          statementId,
          Times.parse(from),
          Times.parse(to),
          "oldest".equals(order),
          cursor);
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage(), e);
    }
  }
}
