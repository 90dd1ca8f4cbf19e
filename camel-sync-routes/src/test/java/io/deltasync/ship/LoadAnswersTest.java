package io.deltasync.ship;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.load.LoadException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that reaches its hub through a route (a queue, a folder) takes only the hub's signed
 * answer to the very request it sent, of the request's type: a verify request is not answered by a
 * load answer, another request's answer or one signed with another secret; a signed refusal names
 * the hub's reason.
 */
class LoadAnswersTest {

  private static final String SECRET = "node-a-and-hub-share-this-secret";
  private static final PeerSecrets HUB = PeerSecrets.of(Map.of("hub", SECRET));
  private static final String ASKED = "a verify request for note";

  @Test
  void opensTheHubsAnswerToThisVerifyRequest() {
    byte[] answer = sealed(Envelope.Type.VERIFY, "v-1", "{\"seq\":4}", SECRET);

    assertThat(open("v-1", answer)).asString(UTF_8).isEqualTo("{\"seq\":4}");
  }

  @Test
  void refusesALoadAnswerAnotherRequestsAnswerAndAnotherSecret() {
    assertThatThrownBy(() -> open("v-1", sealed(Envelope.Type.LOAD, "v-1", "{}", SECRET)))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("asked hub with a verify request for note v-1, but got LOAD v-1");
    assertThatThrownBy(() -> open("v-1", sealed(Envelope.Type.VERIFY, "v-0", "{}", SECRET)))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("but got VERIFY v-0 from hub to node-a");
    assertThatThrownBy(
            () -> open("v-1", sealed(Envelope.Type.VERIFY, "v-1", "{}", "an-attacker-secret-x")))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("could not open hub's verify answer");
  }

  @Test
  void aSignedRefusalInBandNamesTheHubsReason() {
    String refusal = "{\"refused\":400,\"reason\":\"hub does not replicate a table payroll\"}";

    assertThatThrownBy(() -> open("v-1", sealed(Envelope.Type.VERIFY, "v-1", refusal, SECRET)))
        .isInstanceOf(LoadException.class)
        .hasMessage(
            "hub answered 400 to a verify request for note from node-a: hub does not replicate a"
                + " table payroll");
  }

  private static byte[] open(String requestId, byte[] answer) {
    return LoadAnswers.open(
        "hub", "node-a", HUB, requestId, Envelope.Type.VERIFY, ASKED, 200, answer);
  }

  private static byte[] sealed(Envelope.Type type, String id, String payload, String secret) {
    return Envelopes.seal(
        new Envelope(type, "hub", "node-a", id, payload.getBytes(UTF_8)), secret.getBytes(UTF_8));
  }
}
