package io.deltasync.ship.shop;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a settled shop's databases hold compared with each other and with what the shop committed,
 * as text for failure messages: each differing row with every node's version, and the first few
 * with what the shop committed to them and every node's deltas of them; empty when all agree.
 *
 * @param nodes the nodes
 * @param ledger what the shop committed
 */
record ShopChecks(ShopNodes nodes, ShopLedger ledger) {

  private static final int SHOWN_HISTORIES = 3;

  /** The rows, of every table, that differ between the databases. */
  String differencesBetweenNodes() {
    StringBuilder text = new StringBuilder();
    ShopSchema.TABLES.forEach(table -> text.append(differences(table, null)));
    return text.toString();
  }

  /** The rows of the table that differ from what the shop committed on any node. */
  String differencesFromCommitted(String table) {
    return differences(table, ledger.expected(table));
  }

  private String differences(String table, Map<String, String> expected) {
    Map<String, Map<String, String>> byNode = new LinkedHashMap<>();
    if (expected != null) {
      byNode.put("committed", expected);
    }
    nodes.dataSources().forEach((node, ds) -> byNode.put(node, ShopSchema.rows(ds, table)));
    TreeSet<String> keys = new TreeSet<>();
    byNode.values().forEach(rows -> keys.addAll(rows.keySet()));
    StringBuilder text = new StringBuilder();
    int shown = 0;
    for (String key : keys) {
      if (byNode.values().stream().map(rows -> rows.getOrDefault(key, "-")).distinct().count()
          > 1) {
        text.append('\n').append(table).append(' ').append(key).append(':');
        byNode.forEach(
            (node, rows) ->
                text.append("\n  ").append(node).append(": ").append(rows.getOrDefault(key, "-")));
        if (shown++ < SHOWN_HISTORIES) {
          text.append("\n  committed by the shop:");
          ledger.history(table, key).forEach(line -> text.append("\n   ").append(line));
          text.append(nodes.history(table, key));
        }
      }
    }
    return text.toString();
  }
}
