package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerSecretsTest {

  @Test
  void refusesSecretsShorterThanSixteenBytes() {
    assertThatThrownBy(() -> PeerSecrets.of(Map.of("hub", "short")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deltasync.ship.peers.hub.secret must be at least 16 bytes, but was 5");
  }

  @Test
  void refusesAMissingSecret() {
    java.util.Map<String, String> secrets = new java.util.HashMap<>();
    secrets.put("hub", null);

    assertThatThrownBy(() -> PeerSecrets.of(secrets))
        .hasMessage("deltasync.ship.peers.hub.secret must be set, but was empty");
  }

  @Test
  void refusesPeerIdsThatAreNotNodeIds() {
    assertThatThrownBy(() -> PeerSecrets.of(Map.of("Hub_1", "0123456789abcdef")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Hub_1");
  }

  @Test
  void namesThePropertyToSetWhenAPeerHasNoSecret() {
    PeerSecrets secrets = PeerSecrets.of(Map.of("hub", "0123456789abcdef"));

    assertThat(secrets.find("node-x")).isEmpty();
    assertThatThrownBy(() -> secrets.require("node-x"))
        .hasMessage(
            "no secret is configured for peer node-x; set deltasync.ship.peers.node-x.secret");
  }
}
