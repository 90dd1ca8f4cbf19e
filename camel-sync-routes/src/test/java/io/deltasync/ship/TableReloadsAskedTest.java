package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.load.TableReloadRequest;
import io.deltasync.ship.PullRequest.TableReloadEnd;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hub's table reload requests in the answer to a pull: the client acts only on a list its hub
 * signed for that very pull, and reports how each ended in its next pulls until one went through.
 */
class TableReloadsAskedTest {

  private static final byte[] SECRET = "node-a-and-hub-share-this".getBytes(StandardCharsets.UTF_8);
  private static final String ID = "3f0c8a52-5a0e-4a8e-9d38-2c1a3cf0b1aa";

  private final CamelContext context = new DefaultCamelContext();
  private final TableReloadsAsked client = new TableReloadsAsked("node-a");

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void aListSignedForThisPullIsActedOnAndItsOutcomeReportedUntilAPullWentThrough() {
    Message answer = answer("pull-1", SECRET, List.of(request(ID, "note")));

    client.heard(context, answer, "hub", "pull-1", SECRET);

    // no Verifier in this registry: the client cannot reload one table, and says so
    List<TableReloadEnd> ends = client.ends("hub");
    assertThat(ends).singleElement().satisfies(end -> assertThat(end.id()).isEqualTo(ID));
    assertThat(ends.get(0).error()).contains("node-a has no Verifier for hub");
    client.heard(
        context, answer("pull-2", SECRET, List.of(request(ID, "note"))), "hub", "pull-2", SECRET);
    assertThat(client.ends("hub"))
        .as("the same request, heard again: ended already")
        .isEqualTo(ends);
    assertThat(client.ends("other-hub")).isEmpty();

    client.reported("hub", ends);

    assertThat(client.ends("hub")).isEmpty();
  }

  @Test
  void aListSignedForAnotherPullIsIgnored() {
    Message replayed = answer("pull-1", SECRET, List.of(request(ID, "note")));

    client.heard(context, replayed, "hub", "pull-2", SECRET);

    assertThat(client.ends("hub")).isEmpty();
  }

  @Test
  void aListSignedWithAnotherSecretOrAlteredOrUnsignedIsIgnored() {
    Message forged =
        answer(
            "pull-1",
            "not-the-secret-they-share".getBytes(StandardCharsets.UTF_8),
            List.of(request(ID, "note")));
    client.heard(context, forged, "hub", "pull-1", SECRET);

    Message altered = answer("pull-1", SECRET, List.of(request(ID, "note")));
    altered.setHeader(TableReloadsAsked.HEADER, ID + ":payroll");
    client.heard(context, altered, "hub", "pull-1", SECRET);

    Message unsigned = answer("pull-1", SECRET, List.of(request(ID, "note")));
    unsigned.removeHeader(TableReloadsAsked.SIGNATURE_HEADER);
    client.heard(context, unsigned, "hub", "pull-1", SECRET);

    assertThat(client.ends("hub")).isEmpty();
  }

  @Test
  void theHubRemovesTheHeadersWhenNothingIsDueSoThatNothingThePullerSentIsEchoed() {
    Message answer = new DefaultMessage(context);
    answer.setHeader(TableReloadsAsked.HEADER, ID + ":note");
    answer.setHeader(TableReloadsAsked.SIGNATURE_HEADER, "whatever");

    TableReloadsAsked.tell(answer, "hub", "node-a", "pull-1", List.of(), SECRET);

    assertThat(answer.getHeaders())
        .doesNotContainKeys(TableReloadsAsked.HEADER, TableReloadsAsked.SIGNATURE_HEADER);
  }

  private Message answer(String pullId, byte[] secret, List<TableReloadRequest> due) {
    Message answer = new DefaultMessage(context);
    TableReloadsAsked.tell(answer, "hub", "node-a", pullId, due, secret);
    return answer;
  }

  private static TableReloadRequest request(String id, String table) {
    return new TableReloadRequest(
        "node-a", table, id, "operator (test)", false, null, Instant.now());
  }
}
