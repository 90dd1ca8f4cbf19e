package io.deltasync.delta.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The texts written without {@code toString()} are exactly {@code toString()}'s. */
class IsoTextTest {

  @Test
  void writesWhatToStringWritesAtTheEdges() {
    List<LocalDateTime> edges =
        List.of(
            LocalDateTime.of(2026, 12, 5, 0, 0),
            LocalDateTime.of(2026, 12, 5, 13, 45, 7),
            LocalDateTime.of(2026, 1, 9, 9, 5, 0, 500_000_000),
            LocalDateTime.of(2026, 1, 9, 9, 5, 0, 1_000),
            LocalDateTime.of(2026, 1, 9, 9, 5, 0, 1),
            LocalDateTime.of(2026, 1, 9, 23, 59, 59, 999_999_999),
            LocalDateTime.of(0, 1, 1, 0, 0),
            LocalDateTime.of(999, 1, 1, 0, 0, 1),
            LocalDateTime.of(9999, 12, 31, 23, 59),
            LocalDateTime.of(10_000, 1, 1, 0, 0),
            LocalDateTime.of(-1, 1, 1, 0, 0),
            LocalDateTime.MIN,
            LocalDateTime.MAX);
    for (LocalDateTime value : edges) {
      assertSameText(value);
    }
  }

  @Test
  void writesWhatToStringWritesForRandomValues() {
    Random random = new Random(20261205);
    for (int i = 0; i < 100_000; i++) {
      LocalDate date = LocalDate.ofEpochDay(random.nextLong(-800_000, 3_000_000));
      int nano =
          switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      LocalTime time =
          LocalTime.of(
              random.nextInt(24),
              random.nextInt(60),
              random.nextBoolean() ? 0 : random.nextInt(60),
              nano);
      assertSameText(LocalDateTime.of(date, time));
    }
  }

  private static void assertSameText(LocalDateTime value) {
    assertThat(IsoText.dateTime(new StringBuilder(), value).toString()).isEqualTo(value.toString());
    assertThat(IsoText.date(new StringBuilder("x"), value.toLocalDate()).toString())
        .isEqualTo("x" + value.toLocalDate());
    assertThat(IsoText.time(new StringBuilder(), value.toLocalTime()).toString())
        .isEqualTo(value.toLocalTime().toString());
  }
}
