package io.deltasync.ship.support;

import java.util.List;
import java.util.Random;

/**
 * A seeded, single-threaded random walk over clients and actions: write a transaction of one to
 * three single-row statements on the {@link PolicyTables}, push, or pull. Each statement picks a
 * table and a key at random from a small key space, so that clients often change the same rows
 * without having seen each other's changes; it inserts the row when the client does not have it,
 * else updates it (new title, n and note, or {@code n = n + 1}) or deletes it.
 *
 * <p>With the same seed, clients, key space and hub behaviour, the same statements run in the same
 * order. Not thread-safe.
 */
public final class PolicyWorkload {

  private final Random random;
  private final List<PolicyClient> clients;
  private final long firstKey;
  private final int keys;
  private int steps;
  private int transactions;
  private int statements;
  private int pushes;
  private int pulls;

  /**
   * @param random the source of every choice
   * @param clients the clients to pick from
   * @param firstKey the smallest key written
   * @param keys how many keys, from {@code firstKey} on, each table has
   */
  public PolicyWorkload(Random random, List<PolicyClient> clients, long firstKey, int keys) {
    this.random = random;
    this.clients = List.copyOf(clients);
    this.firstKey = firstKey;
    this.keys = keys;
  }

  /** Takes that many steps: 55% write, 25% push, 20% pull, each on a random client. */
  public void run(int count) {
    for (int i = 0; i < count; i++) {
      PolicyClient client = clients.get(random.nextInt(clients.size()));
      int action = random.nextInt(100);
      steps++;
      if (action < 55) {
        write(client);
      } else if (action < 80) {
        client.push();
        pushes++;
      } else {
        client.pull();
        pulls++;
      }
    }
  }

  private void write(PolicyClient client) {
    int count = 1 + random.nextInt(3);
    String title = client.id() + "#" + steps;
    client.inTransaction(
        rows -> {
          for (int i = 0; i < count; i++) {
            String table = PolicyTables.ALL.get(random.nextInt(PolicyTables.ALL.size()));
            long id = firstKey + random.nextInt(keys);
            if (rows.count(table, id) == 0) {
              rows.insert(table, id, title, random.nextInt(100), note());
            } else {
              int what = random.nextInt(10);
              if (what < 5) {
                rows.update(table, id, title, random.nextInt(100), note());
              } else if (what < 8) {
                rows.increment(table, id);
              } else {
                rows.delete(table, id);
              }
            }
            statements++;
          }
        });
    transactions++;
  }

  private String note() {
    return random.nextInt(4) == 0 ? null : "note " + random.nextInt(1000);
  }

  /** What ran so far, for logs. */
  @Override
  public String toString() {
    return steps
        + " steps: "
        + transactions
        + " transactions of "
        + statements
        + " statements, "
        + pushes
        + " pushes, "
        + pulls
        + " pulls";
  }
}
