package io.deltasync.delta.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Writes exactly the texts {@code LocalDate}, {@code LocalTime} and {@code LocalDateTime} give with
 * {@code toString()}, straight into the caller's builder: a load writes hundreds of thousands, and
 * {@code toString()} builds two strings for each. Years outside 0000 to 9999 go through {@code
 * toString()}. {@link IsoTimes} reads them back. Stateless.
 */
final class IsoText {

  private IsoText() {}

  /** {@code 2026-12-05}. */
  static StringBuilder date(StringBuilder out, LocalDate date) {
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      return out.append(date);
    }
    digits(out, year, 4).append('-');
    digits(out, date.getMonthValue(), 2).append('-');
    return digits(out, date.getDayOfMonth(), 2);
  }

  /** {@code 13:45}, {@code 13:45:07}, then 3, 6 or 9 fraction digits as the nanoseconds need. */
  static StringBuilder time(StringBuilder out, LocalTime time) {
    digits(out, time.getHour(), 2).append(':');
    digits(out, time.getMinute(), 2);
    int second = time.getSecond();
    int nano = time.getNano();
    if (second > 0 || nano > 0) {
      digits(out.append(':'), second, 2);
      if (nano > 0) {
        out.append('.');
        if (nano % 1_000_000 == 0) {
          digits(out, nano / 1_000_000, 3);
        } else if (nano % 1_000 == 0) {
          digits(out, nano / 1_000, 6);
        } else {
          digits(out, nano, 9);
        }
      }
    }
    return out;
  }

  /** The date, {@code T}, the time. */
  static StringBuilder dateTime(StringBuilder out, LocalDateTime dateTime) {
    if (dateTime.getYear() < 0 || dateTime.getYear() > 9999) {
      return out.append(dateTime);
    }
    date(out, dateTime.toLocalDate()).append('T');
    return time(out, dateTime.toLocalTime());
  }

  /** The value, 0 or more, with leading zeros to {@code count} digits. */
  private static StringBuilder digits(StringBuilder out, int value, int count) {
    for (int divisor = pow10(count - 1); divisor > 0; divisor /= 10) {
      out.append((char) ('0' + (value / divisor) % 10));
    }
    return out;
  }

  private static int pow10(int exponent) {
    int power = 1;
    for (int i = 0; i < exponent; i++) {
      power *= 10;
    }
    return power;
  }
}
