package io.deltasync.console.node;

import io.deltasync.console.system.ConsoleProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/** The Nodes page, the console's home, and {@code /api/nodes}. */
@Controller
class NodesController {

  static final String VIEW_NODES = "nodes/list";

  private final NodesOverview overview;
  private final ConsoleProperties properties;

  NodesController(NodesOverview overview, ConsoleProperties properties) {
    this.overview = overview;
    this.properties = properties;
  }

  @GetMapping({"/", "/nodes"})
  String nodes(Model model) {
    model.addAttribute("overview", overview.read());
    model.addAttribute("chartWidth", LagChart.WIDTH);
    model.addAttribute("chartHeight", LagChart.HEIGHT);
    if (properties.getRefreshSeconds() > 0) {
      model.addAttribute("refreshSeconds", properties.getRefreshSeconds());
    }
    return VIEW_NODES;
  }

  @GetMapping("/api/nodes")
  @ResponseBody
  NodesOverview.Snapshot api() {
    return overview.read();
  }
}
