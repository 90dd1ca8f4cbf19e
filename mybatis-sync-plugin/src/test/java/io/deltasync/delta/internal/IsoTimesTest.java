package io.deltasync.delta.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast readers give what java.time gives for what it writes, and step aside for the rest. */
class IsoTimesTest {

  @Test
  void readsWhatJavaTimeWritesAsJavaTimeReadsIt() {
    Random random = new Random(20261205);
    for (int i = 0; i < 20_000; i++) {
      LocalDateTime value =
          LocalDateTime.of(
              random.nextInt(10_000),
              1 + random.nextInt(12),
              1 + random.nextInt(28),
              random.nextInt(24),
              random.nextInt(60),
              random.nextInt(4) == 0 ? 0 : random.nextInt(60),
              switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
              });
      assertThat(IsoTimes.dateTime(value.toString())).isEqualTo(value);
      assertThat(IsoTimes.date(value.toLocalDate().toString())).isEqualTo(value.toLocalDate());
      assertThat(IsoTimes.time(value.toLocalTime().toString())).isEqualTo(value.toLocalTime());
      assertThat(ParamText.parse(io.deltasync.delta.ParamType.TIMESTAMP, value.toString()))
          .isEqualTo(LocalDateTime.parse(value.toString()));
    }
  }

  @Test
  void shortFractionsAndLeapDaysReadAsJavaTimeReadsThem() {
    for (String text : List.of("00:00", "23:59", "13:45:07", "13:45:07.5", "13:45:07.123456789")) {
      assertThat(IsoTimes.time(text)).isEqualTo(LocalTime.parse(text));
    }
    assertThat(IsoTimes.date("2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(IsoTimes.dateTime("0000-01-01T00:00"))
        .isEqualTo(LocalDateTime.parse("0000-01-01T00:00"));
  }

  @Test
  void anythingElseIsLeftToJavaTime() {
    for (String text :
        List.of(
            "2023-02-29",
            "2026-13-01",
            "2026-1-01",
            "+10000-01-01",
            "-0001-01-01",
            "20261205",
            "2026-12-05x",
            "2026-12-0a")) {
      assertThat(IsoTimes.date(text)).as(text).isNull();
    }
    for (String text :
        List.of(
            "24:00", "12:60", "12:00:60", "12:00:00.", "12:00:00.1234567890", "1:00", "12:00Z")) {
      assertThat(IsoTimes.time(text)).as(text).isNull();
    }
    for (String text : List.of("2026-12-05 13:45", "2026-12-05T13", "2026-12-05T13:45+01:00")) {
      assertThat(IsoTimes.dateTime(text)).as(text).isNull();
    }
  }
}
