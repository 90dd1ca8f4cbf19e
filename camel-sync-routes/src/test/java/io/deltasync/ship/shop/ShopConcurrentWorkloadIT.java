package io.deltasync.ship.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shop of {@link ShopWorkloadIT} with every node on its own thread: each client sells, orders,
 * edits its account column, pushes and pulls, while the hub's back office restocks and edits phone
 * numbers, all at once; so pushes of the same rows meet at the hub, and the hub's own writes commit
 * while clients' batches apply. Once settled, every database holds exactly what was committed, with
 * no dead letter and no conflict, and the cached mappers read what the pulls applied.
 *
 * <p>Threads interleave differently in every run: the seed ({@code deltasync.seed}, printed)
 * replays each thread's choices, not their timing. {@code -Ddeltasync.steps=<n>} sets each client's
 * steps (default 300).
 */
class ShopConcurrentWorkloadIT {

  private static final long SEED = seed();
  private static final int STEPS = Integer.getInteger("deltasync.steps", 300);

  private static ShopNodes nodes;

  @BeforeAll
  static void startNodes() {
    System.out.println("ShopConcurrentWorkloadIT seed=" + SEED + " steps=" + STEPS);
    nodes = ShopNodes.start();
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void clientsAndTheHubWritingAtOnceConvergeToWhatWasCommitted() {
    ShopLedger ledger = new ShopLedger();
    List<ShopWorkload> walks = new ArrayList<>();
    try {
      for (long id = 1; id <= 6; id++) {
        long item = id;
        BigDecimal price = BigDecimal.valueOf(199 + 250 * id, 2);
        nodes.hubApp().inTransaction(shop -> shop.insertItem(item, "item " + item, 1_000, price));
        ledger.item(item, "item " + item, 1_000, price, "hub");
      }
      for (long id = 1; id <= 4; id++) {
        long account = id;
        nodes
            .hubApp()
            .inTransaction(
                shop -> shop.insertAccount(account, "a" + account, "street " + account, "phone"));
        ledger.account(account, "a" + account, "street " + account, "phone", "hub");
      }
      for (ShopClient client : nodes.clients()) {
        client.app().inTransaction(shop -> shop.insertSeq(client.id()));
        ledger.sequence(client.id());
      }
      nodes.settle();

      AtomicBoolean clientsDone = new AtomicBoolean();
      ShopWorkload hub = new ShopWorkload(new Random(SEED), nodes, ledger, List.of(), true);
      CompletableFuture<Void> backOffice =
          CompletableFuture.runAsync(
              () -> {
                while (!clientsDone.get()) {
                  hub.hubStep();
                  sleep(3);
                }
              });
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int i = 0; i < nodes.clients().size(); i++) {
        ShopWorkload walk =
            new ShopWorkload(
                new Random(SEED + 1 + i), nodes, ledger, List.of(nodes.clients().get(i)), false);
        walks.add(walk);
        clients.add(CompletableFuture.runAsync(() -> walk.run(STEPS)));
      }
      try {
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
      } finally {
        clientsDone.set(true);
        backOffice.join();
      }
      System.out.println("ShopConcurrentWorkloadIT: hub " + hub + ", clients " + walks);
      nodes.settle();
      System.out.println(
          "ShopConcurrentWorkloadIT: changes the hub got of rows changed meanwhile by another node "
              + nodes.concurrentChanges());

      ShopChecks checks = new ShopChecks(nodes, ledger);
      assertThat(checks.differencesBetweenNodes()).as("rows that differ between nodes").isEmpty();
      for (String table : ShopSchema.TABLES) {
        assertThat(checks.differencesFromCommitted(table))
            .as("%s rows not as committed", table)
            .isEmpty();
      }
      assertThat(nodes.deadLetters())
          .as("dead letters per node:%s", nodes.deadLetterDetails())
          .allSatisfy((node, count) -> assertThat(count).as(node).isZero());
      assertThat(nodes.conflicts()).as("conflicts recorded at the hub").isEmpty();
      walks.forEach(
          walk ->
              assertThat(walk.staleReads())
                  .as("reads through the cached ShopMapper that differed from the database")
                  .isEmpty());
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "seed=" + SEED + " (threads interleave differently in a replay): " + e.getMessage(), e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long seed() {
    String configured = System.getProperty("deltasync.seed");
    return configured == null || configured.isBlank()
        ? ThreadLocalRandom.current().nextLong()
        : Long.parseLong(configured.trim());
  }
}
