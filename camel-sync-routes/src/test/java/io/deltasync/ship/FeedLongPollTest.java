package io.deltasync.ship;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
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
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feed holds a pull that finds nothing new, and ends the hold for the reasons it must. */
class FeedLongPollTest {

  private static final String SECRET = "node-a-and-hub-share-this";
  private static final PeerSecrets HUB_SECRET = PeerSecrets.of(Map.of("hub", SECRET));

  private final List<String> contacts = new CopyOnWriteArrayList<>();
  private TestNode hub;
  private DeltaSyncComponent component;
  private CamelContext camel;
  private ProducerTemplate template;

  @BeforeEach
  void startHub() throws Exception {
    hub = TestNode.start("hub", TestDatabases.h2("long_poll_" + System.nanoTime()));
    PeerContacts recording = (peer, address) -> contacts.add(peer);
    component =
        new DeltaSyncComponent(
            hub.node(),
            PeerSecrets.of(Map.of("node-a", SECRET)),
            ShipLimits.DEFAULT,
            Leadership.ALWAYS,
            recording,
            new ShipCounters());
    camel = new DefaultCamelContext();
    camel.addComponent("deltasync", component);
    camel.getShutdownStrategy().setTimeout(30);
    camel.addRoutes(
        new RouteBuilder() {
          @Override
          public void configure() {
            from("direct:feed").routeId("feed").to("deltasync:feed?maxWait=60000");
          }
        });
    camel.start();
    template = camel.createProducerTemplate();
  }

  @AfterEach
  void stopCamel() throws Exception {
    camel.close();
  }

  @Test
  void answersAHeldPullAsSoonAsDeltasForItsSenderAreCommitted() throws Exception {
    CompletableFuture<DeltaBatch> held = pull(0, 60_000);
    Eventually.holdsFor(Duration.ofMillis(500), () -> !held.isDone(), () -> "answered " + held);

    hub.inTransaction(notes -> notes.insert(new Note(1, "for node-a")));

    assertThat(held.get(30, TimeUnit.SECONDS).deltas()).hasSize(1);
  }

  @Test
  void reportsTheSenderInTouchWhileItsPullIsHeld() throws Exception {
    pull(0, 2_500).get(30, TimeUnit.SECONDS);

    // when the hold starts, every second while held, and with the answer
    assertThat(contacts).hasSizeGreaterThanOrEqualTo(3).containsOnly("node-a");
  }

  @Test
  void aHeldFeedStaysHeldThroughTheWaitAndSendsOnceReleased() throws Exception {
    component.holdFeed("node-a");
    hub.inTransaction(notes -> notes.insert(new Note(1, "held back")));

    DeltaBatch whileHeld = pull(0, 1_500).get(30, TimeUnit.SECONDS);

    assertThat(whileHeld.deltas()).isEmpty();
    assertThat(whileHeld.upToSeq()).isZero();
    CompletableFuture<DeltaBatch> held = pull(0, 60_000);
    Eventually.holdsFor(Duration.ofMillis(500), () -> !held.isDone(), () -> "answered " + held);
    component.releaseFeed("node-a");
    assertThat(held.get(30, TimeUnit.SECONDS).deltas()).hasSize(1);
  }

  @Test
  void stoppingCamelAnswersAHeldPullAtOnce() throws Exception {
    CompletableFuture<DeltaBatch> held = pull(0, 60_000);
    Eventually.holdsFor(Duration.ofMillis(500), () -> !held.isDone(), () -> "answered " + held);

    // (HttpWakeUpIT stops only the feed route, at a platform-http consumer; a direct: consumer
    // as here is stopped only after its exchanges completed, so the context's stop shows here)
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(camel::stop);

    // far less than the 60 s hold and the 30 s shutdown timeout
    assertThat(held.get(10, TimeUnit.SECONDS).deltas()).isEmpty();
    stopping.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aResendMadeWhileAPullIsHeldStandsAfterTheHeldPullIsAnswered() throws Exception {
    hub.inTransaction(
        notes -> {
          for (long id = 1; id <= 3; id++) {
            notes.insert(new Note(id, "sent before"));
          }
          return null;
        });
    long last = hub.node().store().lastSeq();
    CompletableFuture<DeltaBatch> held = pull(last, 60_000); // node-a has everything: held
    Eventually.holdsFor(Duration.ofMillis(500), () -> !held.isDone(), () -> "answered " + held);
    assertThat(hub.node().store().pointers("node-a").lastPushed()).isEqualTo(last);

    // an operator's re-send from the first delta, as the console makes it for a peer that pulls
    hub.node().store().resetPushed("node-a", last - 2);
    hub.node().rewindFeed("node-a", last - 2);

    DeltaBatch answer = held.get(30, TimeUnit.SECONDS);
    assertThat(answer.afterSeq()).isEqualTo(last - 2);
    assertThat(answer.deltas()).hasSize(2);
    // the held request's afterSeq is not acknowledged again; node-a's next pull says what it has
    assertThat(hub.node().store().pointers("node-a").lastPushed()).isEqualTo(last - 2);
  }

  @Test
  void answersAtOnceWhenEveryHeldPlaceIsTaken() throws Exception {
    component.setMaxHeldPulls(0);

    assertThat(pull(0, 60_000).get(10, TimeUnit.SECONDS).deltas()).isEmpty();
  }

  /** Sends a signed pull as node-a, on another thread; the future holds the opened answer. */
  private CompletableFuture<DeltaBatch> pull(long afterSeq, long waitMillis) {
    Envelope request =
        new Envelope(
            Envelope.Type.PULL,
            "node-a",
            "hub",
            DeltaIds.next(),
            new PullRequest(afterSeq, 100, waitMillis, null).encode());
    byte[] sealed = Envelopes.seal(request, SECRET.getBytes(UTF_8));
    return CompletableFuture.supplyAsync(
        () -> {
          byte[] answer = template.requestBody("direct:feed", sealed, byte[].class);
          return DeltaCodec.decodeBatch(
              Envelopes.open(answer, HUB_SECRET, "node-a", ShipLimits.DEFAULT).payload());
        });
  }
}
