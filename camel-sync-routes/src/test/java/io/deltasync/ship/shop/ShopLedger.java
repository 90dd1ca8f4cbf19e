package io.deltasync.ship.shop;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the shop committed, node by node: the seeded rows, every committed sale and restock, each
 * account column's last edit, every order with its lines. From it, the rows every database must
 * hold once synced ({@link #expected}, in {@link ShopSchema#rows}'s text), and each row's history
 * for failure messages. Thread-safe.
 */
final class ShopLedger {

  /** A committed line of an order. */
  record Line(String id, long itemId, int qty) {}

  private final Map<Long, String> itemNames = new TreeMap<>();
  private final Map<Long, BigDecimal> prices = new TreeMap<>();
  private final Map<Long, Integer> stock = new TreeMap<>();
  private final Map<Long, String[]> accounts = new TreeMap<>();
  private final Map<String, Long> sequences = new TreeMap<>();
  private final Map<String, String> orders = new TreeMap<>();
  private final Map<String, String> lines = new TreeMap<>();
  private final Map<String, List<String>> history = new LinkedHashMap<>();

  synchronized void item(long id, String name, int qty, BigDecimal price, String node) {
    itemNames.put(id, name);
    prices.put(id, price);
    stock.put(id, qty);
    note("ITEM", id, node + " inserts QTY " + qty);
  }

  synchronized void account(long id, String email, String address, String phone, String node) {
    accounts.put(id, new String[] {email, address, phone});
    note("ACCOUNT", id, node + " inserts " + email + ", " + address + ", " + phone);
  }

  synchronized void sequence(String client) {
    sequences.put(client, 0L);
    note("SEQ", client, client + " inserts VAL 0");
  }

  /** A committed {@code QTY = QTY - n}. */
  synchronized void sold(long item, int n, String node, String where) {
    stock.merge(item, -n, Integer::sum);
    note("ITEM", item, node + " QTY - " + n + " (" + where + ")");
  }

  /** A committed {@code QTY = QTY + n}. */
  synchronized void restocked(long item, int n, String node, String where) {
    stock.merge(item, n, Integer::sum);
    note("ITEM", item, node + " QTY + " + n + " (" + where + ")");
  }

  synchronized void emailChanged(long account, String email, String node, String where) {
    accounts.get(account)[0] = email;
    note("ACCOUNT", account, node + " EMAIL = " + email + " (" + where + ")");
  }

  synchronized void addressChanged(long account, String address, String node, String where) {
    accounts.get(account)[1] = address;
    note("ACCOUNT", account, node + " ADDRESS = " + address + " (" + where + ")");
  }

  synchronized void phoneChanged(long account, String phone, String node, String where) {
    accounts.get(account)[2] = phone;
    note("ACCOUNT", account, node + " PHONE = " + phone + " (" + where + ")");
  }

  /** A committed order: the client's sequence moved on by one, the order and its lines. */
  synchronized void ordered(
      String id, String client, LocalDateTime created, List<Line> orderLines, String where) {
    long number = sequences.merge(client, 1L, Long::sum);
    note("SEQ", client, client + " VAL + 1 = " + number + " (" + where + ")");
    orders.put(id, "ID=" + id + "|CLIENT=" + client + "|CREATED=" + ShopSchema.text(created));
    note("ORDERS", id, client + " inserts (" + where + ")");
    for (Line line : orderLines) {
      lines.put(
          line.id(),
          "ID="
              + line.id()
              + "|ORDER_ID="
              + id
              + "|ITEM_ID="
              + line.itemId()
              + "|QTY="
              + line.qty());
      note("ORDER_LINE", line.id(), client + " inserts (" + where + ")");
      sold(line.itemId(), line.qty(), client, where + ", order " + id);
    }
  }

  /** The item ids. */
  synchronized List<Long> items() {
    return new ArrayList<>(itemNames.keySet());
  }

  /** The account ids. */
  synchronized List<Long> accounts() {
    return new ArrayList<>(accounts.keySet());
  }

  /** The item's stock as the committed changes make it. */
  synchronized int stock(long item) {
    return stock.get(item);
  }

  /** The account's last e-mail and address written, and its phone. */
  synchronized String[] account(long id) {
    return accounts.get(id).clone();
  }

  /** How many orders the client committed. */
  synchronized long orders(String client) {
    return sequences.getOrDefault(client, 0L);
  }

  /** The rows the table must hold on every node, keyed and written as {@link ShopSchema#rows}. */
  synchronized Map<String, String> expected(String table) {
    Map<String, String> rows = new TreeMap<>();
    switch (table) {
      case "ITEM" ->
          itemNames.forEach(
              (id, name) ->
                  rows.put(
                      id.toString(),
                      "ID="
                          + id
                          + "|NAME="
                          + name
                          + "|QTY="
                          + stock.get(id)
                          + "|PRICE="
                          + prices.get(id).toPlainString()));
      case "ACCOUNT" ->
          accounts.forEach(
              (id, columns) ->
                  rows.put(
                      id.toString(),
                      "ID="
                          + id
                          + "|EMAIL="
                          + columns[0]
                          + "|ADDRESS="
                          + columns[1]
                          + "|PHONE="
                          + columns[2]));
      case "ORDERS" -> rows.putAll(orders);
      case "ORDER_LINE" -> rows.putAll(lines);
      case "SEQ" ->
          sequences.forEach((name, val) -> rows.put(name, "NAME=" + name + "|VAL=" + val));
      default -> throw new IllegalArgumentException("no such shop table: " + table);
    }
    return rows;
  }

  /** A short digest of every table's expected rows: equal in two runs that committed the same. */
  synchronized String fingerprint() {
    StringBuilder all = new StringBuilder();
    ShopSchema.TABLES.forEach(table -> all.append(expected(table)));
    return Integer.toHexString(all.toString().hashCode());
  }

  /** What the shop committed to the row, in order. */
  synchronized List<String> history(String table, Object key) {
    return history.getOrDefault(table + ":" + key, List.of());
  }

  private void note(String table, Object key, String what) {
    history.computeIfAbsent(table + ":" + key, k -> new ArrayList<>()).add(what);
  }
}
