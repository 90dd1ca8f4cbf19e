package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.node.Leadership;
import io.deltasync.node.PeerContacts;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox moves a peer's pointer only for batches its route delivered, and only when leading.
 */
class OutboxConsumerTest {

  private static final String SECRET = "node-a-and-hub-share-this";

  private final AtomicBoolean leading = new AtomicBoolean(true);
  private final List<Envelope> delivered = new CopyOnWriteArrayList<>();
  private TestNode nodeA;
  private CamelContext camel;

  @BeforeEach
  void nodeWithFiveDeltas() {
    nodeA = TestNode.start("node-a", TestDatabases.h2("outbox-" + System.nanoTime()));
    for (int i = 1; i <= 5; i++) {
      long id = i;
      nodeA.inTransaction(notes -> notes.insert(new Note(id, "note " + id)));
    }
  }

  @AfterEach
  void stopCamel() throws Exception {
    if (camel != null) {
      camel.close();
    }
  }

  @Test
  void deliversEveryBatchInSeqOrderAndMovesThePointerAfterEach() throws Exception {
    start(
        new RouteBuilder() {
          @Override
          public void configure() {
            from("deltasync:outbox?peer=hub&batchSize=2&delay=20").process(this::deliver);
          }

          private void deliver(org.apache.camel.Exchange exchange) {
            delivered.add(open(exchange.getIn().getBody(byte[].class)));
          }
        });

    Eventually.waitFor(
        Duration.ofSeconds(10),
        () -> nodeA.node().store().pointers("hub").lastPushed() == 5,
        () -> "pointer " + nodeA.node().store().pointers("hub"));
    List<Long> seqs =
        delivered.stream()
            .flatMap(e -> DeltaCodec.decodeBatch(e.payload()).deltas().stream())
            .map(d -> d.seq())
            .toList();
    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void aBatchWhoseRouteFailedIsSentAgainAndThePointerWaitsForIt() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    start(
        new RouteBuilder() {
          @Override
          public void configure() {
            // a handled error still means the batch was not delivered
            onException(IllegalStateException.class).handled(true);
            from("deltasync:outbox?peer=hub&delay=20&maxBackoff=50")
                .process(
                    exchange -> {
                      if (attempts.incrementAndGet() <= 3) {
                        assertThat(nodeA.node().store().pointers("hub").lastPushed()).isZero();
                        throw new IllegalStateException("hub unreachable");
                      }
                      delivered.add(open(exchange.getIn().getBody(byte[].class)));
                    });
          }
        });

    Eventually.waitFor(
        Duration.ofSeconds(10),
        () -> nodeA.node().store().pointers("hub").lastPushed() == 5,
        () -> "pointer " + nodeA.node().store().pointers("hub") + " attempts " + attempts);
    assertThat(attempts.get()).isGreaterThan(3);
    assertThat(delivered).hasSize(1);
    assertThat(DeltaCodec.decodeBatch(delivered.get(0).payload()).deltas()).hasSize(5);
  }

  @Test
  void aPointerMovedBackWhileABatchIsOnItsWayIsNotMovedForwardByIt() throws Exception {
    AtomicBoolean rewound = new AtomicBoolean();
    start(
        new RouteBuilder() {
          @Override
          public void configure() {
            from("deltasync:outbox?peer=hub&batchSize=2&delay=20")
                .process(
                    exchange -> {
                      Envelope envelope = open(exchange.getIn().getBody(byte[].class));
                      delivered.add(envelope);
                      long afterSeq = DeltaCodec.decodeBatch(envelope.payload()).afterSeq();
                      if (afterSeq == 2 && rewound.compareAndSet(false, true)) {
                        // a rewind from the peer, taken by the receive route meanwhile
                        nodeA.node().store().resetPushed("hub", 0);
                      }
                    });
          }
        });

    Eventually.waitFor(
        Duration.ofSeconds(10),
        () -> nodeA.node().store().pointers("hub").lastPushed() == 5,
        () -> "pointer " + nodeA.node().store().pointers("hub"));
    List<Long> afterSeqs =
        delivered.stream().map(e -> DeltaCodec.decodeBatch(e.payload()).afterSeq()).toList();
    assertThat(afterSeqs).containsExactly(0L, 2L, 0L, 2L, 4L);
  }

  @Test
  void sendsNothingWhileAnotherProcessLeads() throws Exception {
    leading.set(false);
    start(
        new RouteBuilder() {
          @Override
          public void configure() {
            from("deltasync:outbox?peer=hub&delay=20")
                .process(exchange -> delivered.add(open(exchange.getIn().getBody(byte[].class))));
          }
        });

    Thread.sleep(300);
    assertThat(delivered).isEmpty();
    assertThat(nodeA.node().store().pointers("hub").lastPushed()).isZero();

    leading.set(true);
    Eventually.waitFor(
        Duration.ofSeconds(10),
        () -> nodeA.node().store().pointers("hub").lastPushed() == 5,
        () -> "pointer " + nodeA.node().store().pointers("hub"));
  }

  @Test
  void aRouteStoppedAndStartedAgainStillSendsACommitWithoutWaitingForItsDelay() throws Exception {
    start(outboxPollingOnceAMinute());
    awaitPushed(5);

    camel.getRouteController().stopRoute("outbox");
    nodeA.inTransaction(notes -> notes.insert(new Note(6, "while stopped")));
    camel.getRouteController().startRoute("outbox");
    awaitPushed(6);

    // only the wake-up on commit sends this before the consumer's one-minute delay
    nodeA.inTransaction(notes -> notes.insert(new Note(7, "after the restart")));
    awaitPushed(7);
    nodeA.inTransaction(notes -> notes.insert(new Note(8, "and again")));
    awaitPushed(8);
  }

  @Test
  void aSuspendedRouteSendsNothingAndWhatWasCommittedMeanwhileOnceResumed() throws Exception {
    start(outboxPollingOnceAMinute());
    awaitPushed(5);
    int sent = delivered.size();

    camel.getRouteController().suspendRoute("outbox");
    nodeA.inTransaction(notes -> notes.insert(new Note(6, "while suspended")));
    assertThat(delivered).hasSize(sent);
    assertThat(nodeA.node().store().pointers("hub").lastPushed()).isEqualTo(5);

    camel.getRouteController().resumeRoute("outbox");
    awaitPushed(6);
    nodeA.inTransaction(notes -> notes.insert(new Note(7, "after resuming")));
    awaitPushed(7);
  }

  @Test
  void aRouteSuspendedWhileABatchIsOnItsWayStartsNoOtherBatchUntilResumed() throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger startedWhileSuspended = new AtomicInteger();
    start(
        new RouteBuilder() {
          @Override
          public void configure() {
            from("deltasync:outbox?peer=hub&batchSize=1&delay=20&initialDelay=0")
                .routeId("outbox")
                .process(
                    exchange -> {
                      if (outboxConsumer().isSuspendingOrSuspended()) {
                        startedWhileSuspended.incrementAndGet();
                      }
                      delivered.add(open(exchange.getIn().getBody(byte[].class)));
                      sending.countDown();
                      release.await(30, TimeUnit.SECONDS);
                    });
          }
        });
    sending.await(30, TimeUnit.SECONDS);

    // as a route's stop does first: Camel suspends the consumer, then waits for the batch in flight
    CompletableFuture<Void> suspended =
        CompletableFuture.runAsync(
            () -> {
              try {
                camel.getRouteController().suspendRoute("outbox");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Eventually.waitFor(
        Duration.ofSeconds(30),
        () -> outboxConsumer().isSuspendingOrSuspended(),
        () -> "the outbox consumer is " + outboxConsumer().getStatus());
    release.countDown();
    suspended.get(30, TimeUnit.SECONDS);

    assertThat(startedWhileSuspended).hasValue(0);
    assertThat(delivered).hasSize(1);
    camel.getRouteController().resumeRoute("outbox");
    awaitPushed(5);
    assertThat(startedWhileSuspended).hasValue(0);
  }

  @Test
  void aBatchOfOnlyThePeersOwnDeltasWaitsToRideWithTheNextRealBatch() throws Exception {
    start(
        new RouteBuilder() {
          @Override
          public void configure() {
            from("deltasync:outbox?peer=hub&delay=20&emptyBatchHold=60000")
                .process(exchange -> delivered.add(open(exchange.getIn().getBody(byte[].class))));
          }
        });
    awaitPushed(5);
    int sent = delivered.size();

    receiveThreeNotesFromTheHub(); // seqs 6-8 here, none of them for the hub
    Thread.sleep(300);
    assertThat(delivered).hasSize(sent);
    assertThat(nodeA.node().store().pointers("hub").lastPushed()).isEqualTo(5);

    nodeA.inTransaction(notes -> notes.insert(new Note(6, "written here"))); // seq 9
    awaitPushed(9);
    assertThat(delivered).hasSize(sent + 1);
    DeltaBatch batch = DeltaCodec.decodeBatch(delivered.get(sent).payload());
    assertThat(batch.afterSeq()).isEqualTo(5);
    assertThat(batch.upToSeq()).isEqualTo(9);
    assertThat(batch.deltas()).extracting(Delta::seq).containsExactly(9L);
  }

  @Test
  void aBatchOfOnlyThePeersOwnDeltasGoesOutOnceTrafficStops() throws Exception {
    start(outboxPollingOnceAMinute());
    awaitPushed(5);
    int sent = delivered.size();

    receiveThreeNotesFromTheHub();
    // no commit follows: the hold, not the one-minute delay, sends the pointer-only batch
    awaitPushed(8);
    assertThat(delivered).hasSize(sent + 1);
    DeltaBatch batch = DeltaCodec.decodeBatch(delivered.get(sent).payload());
    assertThat(batch.afterSeq()).isEqualTo(5);
    assertThat(batch.upToSeq()).isEqualTo(8);
    assertThat(batch.deltas()).isEmpty();
  }

  /** The hub's three notes, applied here: seqs 6 to 8 of node-a, whose origin is the hub. */
  private void receiveThreeNotesFromTheHub() {
    TestNode hub = TestNode.start("hub", TestDatabases.h2("outbox-hub-" + System.nanoTime()));
    for (int i = 101; i <= 103; i++) {
      long id = i;
      hub.inTransaction(notes -> notes.insert(new Note(id, "from the hub " + id)));
    }
    nodeA.node().receive(hub.node().nextBatchFor("node-a").orElseThrow());
    assertThat(nodeA.deltaCount()).isEqualTo(8);
  }

  private ScheduledPollConsumer outboxConsumer() {
    return (ScheduledPollConsumer) camel.getRoute("outbox").getConsumer();
  }

  /** An outbox route whose consumer polls once a minute: sooner, only a wake-up sends. */
  private RouteBuilder outboxPollingOnceAMinute() {
    return new RouteBuilder() {
      @Override
      public void configure() {
        from("deltasync:outbox?peer=hub&delay=60000&initialDelay=0")
            .routeId("outbox")
            .process(exchange -> delivered.add(open(exchange.getIn().getBody(byte[].class))));
      }
    };
  }

  private void awaitPushed(long seq) {
    Eventually.waitFor(
        Duration.ofSeconds(30),
        () -> nodeA.node().store().pointers("hub").lastPushed() == seq,
        () -> "pointer " + nodeA.node().store().pointers("hub") + ", expected " + seq);
  }

  private void start(RouteBuilder routes) throws Exception {
    Leadership leadership =
        new Leadership() {
          @Override
          public boolean isLeader() {
            return leading.get();
          }

          @Override
          public AutoCloseable onChange(Consumer<Boolean> listener) {
            return () -> {};
          }
        };
    camel = new DefaultCamelContext();
    camel.addComponent(
        "deltasync",
        new DeltaSyncComponent(
            nodeA.node(),
            PeerSecrets.of(Map.of("hub", SECRET)),
            ShipLimits.DEFAULT,
            leadership,
            PeerContacts.NONE,
            new ShipCounters()));
    camel.addRoutes(routes);
    camel.start();
  }

  private static Envelope open(byte[] wire) {
    return Envelopes.open(
        wire, PeerSecrets.of(Map.of("node-a", SECRET)), "hub", ShipLimits.DEFAULT);
  }
}
