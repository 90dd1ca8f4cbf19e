package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.ship.PullRequest.TableReloadEnd;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pull request on the wire, with the table reloads it reports, and what is refused. */
class PullRequestTest {

  @Test
  void encodesAndDecodesEveryField() {
    PullRequest request =
        new PullRequest(
            42,
            500,
            3_000,
            "inc-1",
            List.of(
                new TableReloadEnd("id-1", null),
                new TableReloadEnd("id-2", "table \"x\" is not replicated\nby this node")));

    assertThat(PullRequest.decode(request.encode())).isEqualTo(request);
    assertThat(new String(new PullRequest(42, 500).encode(), StandardCharsets.UTF_8))
        .isEqualTo("{\"afterSeq\":42,\"limit\":500}");
    assertThat(new String(new PullRequest(7, 10, 0, "").encode(), StandardCharsets.UTF_8))
        .isEqualTo("{\"afterSeq\":7,\"limit\":10,\"incarnation\":null}");
  }

  @Test
  void refusesMalformedTableReloadsNamingWhatIsWrong() {
    assertThatThrownBy(() -> decode("{\"afterSeq\":1,\"limit\":1,\"tableReloads\":{}}"))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("tableReloads must be an array of at most 100");
    assertThatThrownBy(
            () -> decode("{\"afterSeq\":1,\"limit\":1,\"tableReloads\":[{\"error\":null}]}"))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("each of tableReloads must be {\"id\":<id>");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"afterSeq\":1,\"limit\":1,\"tableReloads\":[{\"id\":\"a b\",\"error\":null}]}"))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("table reload id");
    String tooLong = "x".repeat(1_001);
    assertThatThrownBy(
            () ->
                decode(
                    "{\"afterSeq\":1,\"limit\":1,\"tableReloads\":[{\"id\":\"a\",\"error\":\""
                        + tooLong
                        + "\"}]}"))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("at most 1000 characters");
  }

  private static PullRequest decode(String json) {
    return PullRequest.decode(json.getBytes(StandardCharsets.UTF_8));
  }
}
