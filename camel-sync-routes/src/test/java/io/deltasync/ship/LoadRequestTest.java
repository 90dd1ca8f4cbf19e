package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Incarnation;
import io.deltasync.load.LoadStart;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Load requests and the hub's opened snapshot survive the JSON round trip; bad ones are refused.
 */
class LoadRequestTest {

  @Test
  void eachRequestDecodesAsItWasEncoded() {
    List<LoadRequest> requests =
        List.of(
            LoadRequest.open(List.of("note", "item")),
            LoadRequest.chunk("load-1", "note", null, 500),
            LoadRequest.chunk("load-1", "note", List.of("40", "x"), 500),
            LoadRequest.close("load-1"));

    for (LoadRequest request : requests) {
      assertThat(LoadRequest.decode(request.encode())).isEqualTo(request);
    }
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
  void aChunkWithoutATableIsMalformed() {
    byte[] json =
        "{\"op\":\"chunk\",\"loadId\":\"l\",\"limit\":5}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> LoadRequest.decode(json))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("malformed load request: table must be 1 to 128 characters");
  }
}
