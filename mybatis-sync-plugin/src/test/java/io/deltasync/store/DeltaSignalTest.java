package io.deltasync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeltaSignalTest {

  @Test
  void isOneSignalPerNode() {
    assertThat(DeltaSignal.of("signal-a")).isSameAs(DeltaSignal.of("signal-a"));
    assertThat(DeltaSignal.of("signal-a")).isNotSameAs(DeltaSignal.of("signal-b"));
    assertThatThrownBy(() -> DeltaSignal.of("Not A Node"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void awaitReturnsAtOnceWhenRaisedSinceSeen() throws InterruptedException {
    DeltaSignal signal = DeltaSignal.of("signal-raised-before");
    long seen = signal.generation();
    signal.raise();

    assertThat(signal.await(seen, 1, TimeUnit.HOURS)).isTrue();
  }

  @Test
  void awaitEndsWhenAnotherThreadRaises() throws Exception {
    DeltaSignal signal = DeltaSignal.of("signal-raised-later");
    long seen = signal.generation();
    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return signal.await(seen, 1, TimeUnit.HOURS);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(100);
    signal.raise();

    assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void awaitTimesOutWhenNothingIsRaised() throws InterruptedException {
    DeltaSignal signal = DeltaSignal.of("signal-quiet");

    assertThat(signal.await(signal.generation(), 50, TimeUnit.MILLISECONDS)).isFalse();
  }
}
