package io.deltasync.ship.shop;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A seeded, single-threaded random walk of a shop: sales on both clients ({@code QTY = QTY - n}),
 * restocks on the hub ({@code QTY = QTY + n}), e-mail edits on {@code node-a}, address edits on
 * {@code node-b} and phone edits on the hub of the same accounts, orders (the client's sequence
 * row, the order, its lines and their sales in one transaction), and pushes and pulls at random
 * moments, so that the hub sees changes of the same rows that were made without seeing each other.
 * Every committed change goes into the {@link ShopLedger}.
 *
 * <p>Before each pull the client reads items and accounts through its cached mapper, and after it
 * reads them again: a read that differs from the database (a stale cache entry) is kept in {@link
 * #staleReads}. With the same seed the same statements run in the same order. Not thread-safe.
 */
final class ShopWorkload {

  private static final LocalDateTime EPOCH = LocalDateTime.of(2026, 6, 1, 12, 0);

  private final Random random;
  private final ShopNodes nodes;
  private final ShopLedger ledger;
  private final List<ShopClient> actors;
  private final boolean hub;
  private final List<String> staleReads = new ArrayList<>();
  private int step;
  private final Map<String, Integer> counts = new TreeMap<>();

  /** A walk over every client and the hub. */
  ShopWorkload(Random random, ShopNodes nodes, ShopLedger ledger) {
    this(random, nodes, ledger, nodes.clients(), true);
  }

  /**
   * A walk over some of the clients, with or without the hub's own writes (restocks, phone edits),
   * e.g. one walk per thread.
   */
  ShopWorkload(
      Random random, ShopNodes nodes, ShopLedger ledger, List<ShopClient> actors, boolean hub) {
    this.random = random;
    this.nodes = nodes;
    this.ledger = ledger;
    this.actors = List.copyOf(actors);
    this.hub = hub;
  }

  /** Takes that many steps. */
  void run(int steps) {
    for (int i = 0; i < steps; i++) {
      step++;
      ShopClient client = actors.get(random.nextInt(actors.size()));
      int action = random.nextInt(100);
      if (action < 22) {
        sell(client);
      } else if (action < 34) {
        order(client);
      } else if (action < 44) {
        if (hub) {
          restock();
        }
      } else if (action < 57) {
        editAccount(client);
      } else if (action < 60) {
        if (hub) {
          editPhone();
        }
      } else if (action < 80) {
        client.push();
        count("push");
      } else {
        pullAndReadThroughCache(client);
      }
    }
  }

  private void sell(ShopClient client) {
    long item = pick(ledger.items());
    int n = 1 + random.nextInt(3);
    int updated = client.app().inTransaction(shop -> shop.sell(item, n));
    if (updated != 1) {
      throw new AssertionError(where(client) + ": selling item " + item + " updated " + updated);
    }
    ledger.sold(item, n, client.id(), where(client));
    count("sell");
  }

  private void restock() {
    long item = pick(ledger.items());
    int n = 5 + random.nextInt(16);
    int updated = nodes.hubApp().inTransaction(shop -> shop.restock(item, n));
    if (updated != 1) {
      throw new AssertionError("step " + step + " hub: restocking item " + item + " updated 0");
    }
    ledger.restocked(item, n, "hub", "step " + step);
    count("restock");
  }

  /** {@code node-a} edits e-mails, {@code node-b} addresses, of the same accounts. */
  private void editAccount(ShopClient client) {
    long account = pick(ledger.accounts());
    boolean email = client == nodes.clients().get(0);
    String value =
        email
            ? "a" + account + "." + step + "@shop.example"
            : step + " Market Street, Apt " + account;
    int updated =
        client
            .app()
            .inTransaction(
                shop ->
                    email ? shop.changeEmail(account, value) : shop.changeAddress(account, value));
    if (updated != 1) {
      throw new AssertionError(where(client) + ": editing account " + account + " updated 0");
    }
    if (email) {
      ledger.emailChanged(account, value, client.id(), where(client));
    } else {
      ledger.addressChanged(account, value, client.id(), where(client));
    }
    count(email ? "email" : "address");
  }

  /** A delivery at the hub, or a phone number edited there; as {@link #run} does. */
  void hubStep() {
    step++;
    if (random.nextInt(4) == 0) {
      editPhone();
    } else {
      restock();
    }
  }

  /** The hub's back office edits phone numbers of the accounts the clients edit too. */
  private void editPhone() {
    long account = pick(ledger.accounts());
    String phone = "+1 555 " + (1000 + step);
    int updated = nodes.hubApp().inTransaction(shop -> shop.changePhone(account, phone));
    if (updated != 1) {
      throw new AssertionError("step " + step + " hub: editing account " + account + " updated 0");
    }
    ledger.phoneChanged(account, phone, "hub", "step " + step);
    count("phone");
  }

  /** Takes the next order number and writes the order, its lines and their sales at once. */
  private void order(ShopClient client) {
    int lineCount = 1 + random.nextInt(3);
    List<long[]> wanted = new ArrayList<>();
    for (int i = 0; i < lineCount; i++) {
      wanted.add(new long[] {pick(ledger.items()), 1 + random.nextInt(2)});
    }
    LocalDateTime created = EPOCH.plusSeconds(step).plusNanos(1_000_000L * random.nextInt(1000));
    List<ShopLedger.Line> lines = new ArrayList<>();
    String id =
        client
            .app()
            .inTransaction(
                shop -> {
                  lines.clear();
                  if (shop.nextOrderNumber(client.id()) != 1) {
                    throw new AssertionError(where(client) + ": no sequence row");
                  }
                  String orderId = client.id() + "-" + shop.seq(client.id());
                  shop.insertOrder(orderId, client.id(), created);
                  for (int i = 0; i < wanted.size(); i++) {
                    long item = wanted.get(i)[0];
                    int qty = (int) wanted.get(i)[1];
                    String lineId = orderId + "-" + (i + 1);
                    shop.insertLine(lineId, orderId, item, qty);
                    if (shop.sell(item, qty) != 1) {
                      throw new AssertionError(where(client) + ": selling item " + item);
                    }
                    lines.add(new ShopLedger.Line(lineId, item, qty));
                  }
                  return orderId;
                });
    ledger.ordered(id, client.id(), created, lines, where(client));
    count("order");
  }

  private void pullAndReadThroughCache(ShopClient client) {
    // fill the second-level cache, which the pull must not leave stale
    List<ShopMapper.Item> before = client.app().items();
    client.app().accounts();
    if (client.app().cache().getSize() == 0) {
      staleReads.add(where(client) + ": the mapper's second-level cache holds nothing after reads");
    }
    int applied = client.pullSome();
    count("pull");
    if (!client.app().items().equals(before)) {
      count("pull changing cached items");
    }
    String items =
        byId(client.app().items().stream().collect(Collectors.toMap(i -> i.id(), this::text)));
    String accounts =
        byId(client.app().accounts().stream().collect(Collectors.toMap(a -> a.id(), this::text)));
    String itemRows = String.join(", ", ShopSchema.rows(client.db().dataSource(), "ITEM").values());
    String accountRows =
        String.join(", ", ShopSchema.rows(client.db().dataSource(), "ACCOUNT").values());
    if (!items.equals(itemRows) || !accounts.equals(accountRows)) {
      staleReads.add(
          where(client)
              + ", after a pull that applied "
              + applied
              + " deltas: the cached mapper read\n   "
              + items
              + "\n   "
              + accounts
              + "\n  but the database holds\n   "
              + itemRows
              + "\n   "
              + accountRows);
    }
  }

  /** How many pulls changed items the client had just read through its cache. */
  int refreshedReads() {
    return counts.getOrDefault("pull changing cached items", 0);
  }

  /** The rows in the order {@link ShopSchema#rows} gives them: by the text of their key. */
  private static String byId(Map<Long, String> rows) {
    Map<String, String> ordered = new TreeMap<>();
    rows.forEach((id, row) -> ordered.put(id.toString(), row));
    return String.join(", ", ordered.values());
  }

  /** The reads through a cached mapper that, after a pull, differed from the database. */
  List<String> staleReads() {
    return staleReads;
  }

  private String text(ShopMapper.Item item) {
    return "ID="
        + item.id()
        + "|NAME="
        + item.name()
        + "|QTY="
        + item.qty()
        + "|PRICE="
        + (item.price() == null ? null : item.price().toPlainString());
  }

  private String text(ShopMapper.Account account) {
    return "ID="
        + account.id()
        + "|EMAIL="
        + account.email()
        + "|ADDRESS="
        + account.address()
        + "|PHONE="
        + account.phone();
  }

  private long pick(List<Long> ids) {
    return ids.get(random.nextInt(ids.size()));
  }

  private String where(ShopClient client) {
    return "step " + step + " " + client.id();
  }

  private void count(String what) {
    counts.merge(what, 1, Integer::sum);
  }

  /** What ran so far, for logs. */
  @Override
  public String toString() {
    return step + " steps: " + counts;
  }
}
