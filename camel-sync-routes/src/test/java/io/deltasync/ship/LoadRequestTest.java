package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Incarnation;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.load.LoadStart;
import io.deltasync.load.ReverseChoice;
import io.deltasync.load.ReverseChunk;
import io.deltasync.load.ReverseResult;
import io.deltasync.load.TableReloadRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Load requests (reverse-load chunks among them), the hub's opened snapshot and its answer to a
 * reverse chunk survive the JSON round trip; bad ones are refused.
 */
class LoadRequestTest {

  @Test
  void eachRequestDecodesAsItWasEncoded() {
    List<LoadRequest> requests =
        List.of(
            LoadRequest.open(List.of("note", "item")),
            LoadRequest.chunk("load-1", "note", null, 500),
            LoadRequest.chunk("load-1", "note", List.of("40", "x"), 500),
            LoadRequest.close("load-1"),
            LoadRequest.held("load-1", "tag", List.of(List.of("B"), List.of("a", "2"))),
            LoadRequest.reverse(
                new ReverseChunk(
                    "note",
                    ReverseChoice.CLIENT_WINS,
                    true,
                    List.of(
                        new Row(
                            Map.of(
                                "id",
                                new Param(ParamType.LONG, 4L),
                                "title",
                                Param.nullOf("VARCHAR")))))),
            LoadRequest.reverse(new ReverseChunk("note", ReverseChoice.REFUSE, false, List.of())),
            LoadRequest.tableReloads(List.of()),
            LoadRequest.tableReloads(
                List.of(
                    new PullRequest.TableReloadEnd("r-1", null),
                    new PullRequest.TableReloadEnd("r-2", "table note is not replicated"))));

    for (LoadRequest request : requests) {
      assertThat(LoadRequest.decode(request.encode())).isEqualTo(request);
    }
  }

  @Test
  void aHeldRequestNeedsItsKeysAndItsAnswerKeepsThem() {
    assertThatThrownBy(() -> LoadRequest.held("load-1", "tag", List.of()))
        .hasMessageContaining("held needs 1 to 10000 keys, but had 0");
    String noKeys = "{\"op\":\"held\",\"loadId\":\"load-1\",\"table\":\"tag\"}";
    assertThatThrownBy(() -> LoadRequest.decode(noKeys.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("keys must be an array");
    String nullKey = "{\"op\":\"held\",\"loadId\":\"load-1\",\"table\":\"tag\",\"keys\":[null]}";
    assertThatThrownBy(() -> LoadRequest.decode(nullKey.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("a key must be an array of texts");

    Set<List<String>> held = Set.of(List.of("B"), List.of("a", "2"));
    assertThat(LoadJson.decodeHeld(LoadJson.encodeHeld(held))).isEqualTo(held);
  }

  @Test
  void aChunkRequestAsksForNamesOnceAndOneWithoutTheFieldDoesNot() {
    assertThat(LoadRequest.chunk("load-1", "note", null, 500).namesOnce()).isTrue();
    String earlier =
        "{\"op\":\"chunk\",\"loadId\":\"load-1\",\"table\":\"note\",\"after\":null,\"limit\":5}";

    assertThat(
            LoadRequest.decode(earlier.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .namesOnce())
        .isFalse();
  }

  @Test
  void theOpenedSnapshotKeepsItsPositionTablesAndIncarnation() {
    LoadStart start =
        new LoadStart("load-1", 42, new Incarnation("01a2-b3", 7), List.of("item", "note"));

    assertThat(LoadJson.decodeStart(LoadJson.encode(start))).isEqualTo(start);
    LoadStart none = new LoadStart("load-2", 0, null, List.of("note"));
    assertThat(LoadJson.decodeStart(LoadJson.encode(none))).isEqualTo(none);
  }

  @Test
  void theRowsPerTableSurviveTheRoundTripAndAnOlderHubsAnswerHasNone() {
    LoadStart counted =
        new LoadStart("load-3", 9, null, List.of("item", "note"), Map.of("item", 0L, "note", 12L));

    assertThat(LoadJson.decodeStart(LoadJson.encode(counted))).isEqualTo(counted);
    LoadStart older =
        LoadJson.decodeStart(
            "{\"loadId\":\"load-4\",\"snapshotSeq\":3,\"tables\":[\"note\"],\"incarnation\":null}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(older.rows()).isEmpty();
    assertThat(older.tables()).containsExactly("note");
  }

  @Test
  void whatTheHubDidWithAReverseChunkSurvivesTheRoundTrip() {
    ReverseResult result = new ReverseResult(2, 1, 0, 7);

    assertThat(LoadJson.decodeReverse(LoadJson.encode(result))).isEqualTo(result);
  }

  @Test
  void aReverseChunkWithoutRowsOrWithAnUnknownChoiceIsMalformed() {
    byte[] noRows =
        "{\"op\":\"reverse\",\"table\":\"note\",\"choice\":\"refuse\",\"apply\":true}"
            .getBytes(StandardCharsets.UTF_8);
    byte[] badChoice =
        ("{\"op\":\"reverse\",\"table\":\"note\",\"choice\":\"mine\",\"apply\":true,"
                + "\"rows\":[]}")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> LoadRequest.decode(noRows))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("reverse needs \"apply\" (true or false) and \"rows\"");
    assertThatThrownBy(() -> LoadRequest.decode(badChoice))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("must be client-wins, hub-wins or refuse, but was 'mine'");
  }

  @Test
  void aChunkWithoutATableIsMalformed() {
    byte[] json =
        "{\"op\":\"chunk\",\"loadId\":\"l\",\"limit\":5}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> LoadRequest.decode(json))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("malformed load request: table must be 1 to 128 characters");
  }

  @Test
  void aTableReloadsRequestReportsEndsTheWayAPullDoesAndRefusesMalformedOnes() {
    String json = "{\"op\":\"table_reloads\",\"tableReloads\":[{\"id\":\"r-1\",\"error\":null}]}";
    assertThat(LoadRequest.decode(json.getBytes(StandardCharsets.UTF_8)).ends())
        .containsExactly(new PullRequest.TableReloadEnd("r-1", null));
    String notAnArray = "{\"op\":\"table_reloads\",\"tableReloads\":\"r-1\"}";
    assertThatThrownBy(() -> LoadRequest.decode(notAnArray.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining(
            "malformed load request: tableReloads must be an array of at most 100");
    String noId = "{\"op\":\"table_reloads\",\"tableReloads\":[{\"error\":\"x\"}]}";
    assertThatThrownBy(() -> LoadRequest.decode(noId.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("malformed load request: each of tableReloads must be {\"id\":<id>");
  }

  @Test
  void theTableReloadsDueTravelAsTheHubWroteThem() {
    byte[] answer =
        LoadJson.encodeTableReloads(
            List.of(
                new TableReloadRequest(
                    "node-a", "note", "r-1", "operator", false, null, Instant.EPOCH)));
    assertThat(LoadJson.decodeTableReloads(answer)).containsExactly("r-1:note");
    assertThat(LoadJson.decodeTableReloads(LoadJson.encodeTableReloads(List.of()))).isEmpty();
    assertThatThrownBy(() -> LoadJson.decodeTableReloads("{}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("malformed table reloads answer: no \"tables\" array");
  }
}
