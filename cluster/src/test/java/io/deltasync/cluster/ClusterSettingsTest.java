package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

  private static final Instant HEARD = Instant.parse("2026-05-01T10:00:00Z");
  private final ClusterSettings settings =
      ClusterSettings.defaults("hub", NodeRole.HUB)
          .withLiveness(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));

  @Test
  void aNodeIsOnlineUpToStaleAfterThenStaleUpToOfflineAfterThenOffline() {
    assertThat(settings.statusOf(HEARD, HEARD)).isEqualTo(NodeStatus.ONLINE);
    assertThat(settings.statusOf(HEARD, HEARD.plusSeconds(5))).isEqualTo(NodeStatus.ONLINE);
    assertThat(settings.statusOf(HEARD, HEARD.plusMillis(5_001))).isEqualTo(NodeStatus.STALE);
    assertThat(settings.statusOf(HEARD, HEARD.plusSeconds(30))).isEqualTo(NodeStatus.STALE);
    assertThat(settings.statusOf(HEARD, HEARD.plusMillis(30_001))).isEqualTo(NodeStatus.OFFLINE);
  }

  @Test
  void refusesThresholdsOutOfOrder() {
    assertThatThrownBy(
            () ->
                settings.withLiveness(
                    Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30)))
        .hasMessage("staleAfter must be > heartbeatInterval (PT5S), but was PT5S");
    assertThatThrownBy(
            () ->
                settings.withLiveness(
                    Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10)))
        .hasMessage("offlineAfter must be > staleAfter (PT30S), but was PT10S");
    assertThatThrownBy(
            () ->
                settings.withLiveness(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(9)))
        .hasMessage("heartbeatInterval must be > 0, but was PT0S");
  }

  @Test
  void refusesAFailoverTimeoutHazelcastCannotDetect() {
    assertThatThrownBy(() -> settings.withFailoverTimeout(Duration.ofSeconds(1)))
        .hasMessage("failoverTimeout must be whole seconds, at least 2s, but was PT1S");
    assertThatThrownBy(() -> settings.withFailoverTimeout(Duration.ofMillis(2500)))
        .hasMessage("failoverTimeout must be whole seconds, at least 2s, but was PT2.5S");
    assertThat(settings.withFailoverTimeout(Duration.ofSeconds(2)).failoverTimeout())
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void refusesAMalformedNodeId() {
    assertThatThrownBy(() -> ClusterSettings.defaults("Hub 1", NodeRole.HUB))
        .hasMessageStartingWith("nodeId must match")
        .hasMessageEndingWith("but was 'Hub 1'");
  }
}
