package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeInfoTest {

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

  @Test
  void mergingKeepsTheEarliestFirstSeenAndTheNewerReportsFields() {
    NodeInfo old = new NodeInfo("node-a", NodeRole.CLIENT, "10.0.0.1:5701", "0.1", null, T0, T0);
    NodeInfo newer =
        new NodeInfo(
            "node-a",
            NodeRole.CLIENT,
            "10.0.0.2:5701",
            "0.2",
            null,
            T0.plusSeconds(60),
            T0.plusSeconds(90));

    NodeInfo expected =
        new NodeInfo(
            "node-a", NodeRole.CLIENT, "10.0.0.2:5701", "0.2", null, T0, T0.plusSeconds(90));
    assertThat(old.merge(newer)).isEqualTo(expected);
    assertThat(newer.merge(old)).as("reports arriving out of order").isEqualTo(expected);
  }

  @Test
  void aNodeSeenThroughAnotherIsNotAMember() {
    NodeInfo remote = new NodeInfo("node-r", NodeRole.CLIENT, null, null, "hub", T0, T0);

    assertThat(remote.member()).isFalse();
    assertThat(new NodeInfo("hub", NodeRole.HUB, null, null, null, T0, T0).member()).isTrue();
  }

  @Test
  void refusesAHeartbeatBeforeFirstSeenAndReportsOfAnotherNode() {
    assertThatThrownBy(
            () -> new NodeInfo("node-a", NodeRole.HUB, null, null, null, T0, T0.minusSeconds(1)))
        .hasMessage(
            "lastHeartbeat must not be before firstSeen, but was 2026-05-01T09:59:59Z <"
                + " 2026-05-01T10:00:00Z");
    NodeInfo a = new NodeInfo("node-a", NodeRole.HUB, null, null, null, T0, T0);
    NodeInfo b = new NodeInfo("node-b", NodeRole.HUB, null, null, null, T0, T0);
    assertThatThrownBy(() -> a.merge(b))
        .hasMessage("can only merge reports of one node, but were node-a and node-b");
  }
}
