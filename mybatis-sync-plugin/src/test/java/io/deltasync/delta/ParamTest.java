package io.deltasync.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class ParamTest {

  @Test
  void rejectsValueWhoseClassMismatchesItsType() {
    assertThatThrownBy(() -> new Param(ParamType.INT, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a INT parameter holds a Integer, but was java.lang.Long");
    assertThatThrownBy(() -> new Param(ParamType.TIMESTAMP, LocalDate.of(2024, 1, 1)))
        .hasMessage("a TIMESTAMP parameter holds a LocalDateTime, but was java.time.LocalDate");
    assertThatThrownBy(() -> new Param(ParamType.BYTES, "AP9B"))
        .hasMessage("a BYTES parameter holds a byte[], but was java.lang.String");
    assertThatThrownBy(() -> new Param(ParamType.DECIMAL, 1.5))
        .hasMessage("a DECIMAL parameter holds a BigDecimal, but was java.lang.Double");
  }

  @Test
  void rejectsMissingValueOrType() {
    assertThatThrownBy(() -> new Param(ParamType.STRING, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a STRING parameter needs a value, but was null");
    assertThatThrownBy(() -> new Param(null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
  }

  @Test
  void acceptsTheValueClassOfEveryType() {
    assertThat(SampleDeltas.everyParamType())
        .allSatisfy(param -> assertThat(param.value()).isInstanceOf(param.type().valueClass()));
  }

  @Test
  void copiesByteArraysOnTheWayIn() {
    byte[] bytes = {1, 2, 3};
    Param param = new Param(ParamType.BYTES, bytes);

    bytes[0] = 99;

    assertThat((byte[]) param.value()).containsExactly(1, 2, 3);
  }

  @Test
  void copiesByteArraysOnTheWayOut() {
    Param param = new Param(ParamType.BYTES, new byte[] {1, 2, 3});

    ((byte[]) param.value())[0] = 99;

    assertThat((byte[]) param.value()).containsExactly(1, 2, 3);
  }

  @Test
  void comparesByteArraysByContent() {
    Param one = new Param(ParamType.BYTES, SampleDeltas.allByteValues());
    Param same = new Param(ParamType.BYTES, SampleDeltas.allByteValues());

    assertThat(one).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(one).isNotEqualTo(new Param(ParamType.BYTES, new byte[0]));
  }

  @Test
  void typeIsPartOfEquality() {
    assertThat(Param.nullOf("VARCHAR")).isNotEqualTo(new Param(ParamType.STRING, "VARCHAR"));
    assertThat(new Param(ParamType.DATE, LocalDate.of(2024, 1, 1)))
        .isNotEqualTo(new Param(ParamType.LOCAL_DATE, LocalDate.of(2024, 1, 1)));
    assertThat(new Param(ParamType.TIMESTAMP, LocalDateTime.of(2024, 1, 1, 0, 0)))
        .isEqualTo(new Param(ParamType.TIMESTAMP, LocalDateTime.of(2024, 1, 1, 0, 0)));
  }

  @Test
  void decimalsOfDifferentScaleDiffer() {
    assertThat(new Param(ParamType.DECIMAL, new BigDecimal("1.50")))
        .isNotEqualTo(new Param(ParamType.DECIMAL, new BigDecimal("1.5")));
  }

  @Test
  void typedNullKeepsItsJdbcType() {
    Param param = Param.nullOf("TIMESTAMP");

    assertThat(param.isNull()).isTrue();
    assertThat(param.type()).isEqualTo(ParamType.NULL);
    assertThat(param.value()).isEqualTo("TIMESTAMP");
    assertThat(new Param(ParamType.STRING, "TIMESTAMP").isNull()).isFalse();
  }

  @Test
  void showsByteCountRatherThanBytes() {
    assertThat(new Param(ParamType.BYTES, new byte[3])).hasToString("BYTES:3 bytes");
    assertThat(new Param(ParamType.LONG, 42L)).hasToString("LONG:42");
  }
}
