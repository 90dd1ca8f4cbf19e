package io.deltasync.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RowKeyTest {

  @Test
  void lowerCasesAndSortsColumns() {
    RowKey rowKey = RowKey.of(Map.of("Tenant", "t1", "ID", "42"));

    assertThat(rowKey.values()).containsExactly(Map.entry("id", "42"), Map.entry("tenant", "t1"));
  }

  @Test
  void rejectsAnEmptyKey() {
    assertThatThrownBy(() -> RowKey.of(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a row key needs at least one column, but had none");
    assertThatThrownBy(() -> new RowKey(null))
        .hasMessage("a row key needs at least one column, but had none");
  }

  @Test
  void rejectsNullValuesItCouldNotEncode() {
    Map<String, String> values = new HashMap<>();
    values.put("id", null);

    assertThatThrownBy(() -> RowKey.of(values))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a row key value must not be null, but column id had null");
  }

  @Test
  void copiesItsValues() {
    TreeMap<String, String> values = new TreeMap<>(Map.of("id", "42"));
    RowKey rowKey = new RowKey(values);

    values.put("tenant", "t1");

    assertThat(rowKey.values()).containsOnlyKeys("id");
    assertThatThrownBy(() -> rowKey.values().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalsByValues() {
    assertThat(RowKey.of(Map.of("ID", "42"))).isEqualTo(RowKey.of(Map.of("id", "42")));
    assertThat(RowKey.of(Map.of("id", "42"))).isNotEqualTo(RowKey.of(Map.of("id", "43")));
  }

  @Test
  void leavesOutTrailingSpacesAsAPaddedCharKeyReadsBack() {
    RowKey padded = RowKey.of(Map.of("code", "ab      "));

    assertThat(padded).isEqualTo(RowKey.of(Map.of("code", "ab")));
    assertThat(padded.values()).containsEntry("code", "ab");
    assertThat(DeltaCodec.encodeRowKey(padded))
        .isEqualTo(DeltaCodec.encodeRowKey(RowKey.of(Map.of("code", "ab"))));
    assertThat(RowKey.of(Map.of("code", "  ab\t")).values()).containsEntry("code", "  ab\t");
    assertThat(RowKey.of(Map.of("code", "   ")).values()).containsEntry("code", "");
  }
}
