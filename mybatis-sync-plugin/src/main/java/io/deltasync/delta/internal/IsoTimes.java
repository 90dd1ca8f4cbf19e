package io.deltasync.delta.internal;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Reads the ISO-8601 texts {@code LocalDate}, {@code LocalTime} and {@code LocalDateTime} write for
 * years 0000 to 9999 ({@code 2026-12-05}, {@code 13:45}, {@code 13:45:07}, {@code 13:45:07.5} to
 * nine fraction digits, joined by {@code T}) without {@code java.time}'s general parser, which
 * allocates a map per value: a load reads hundreds of thousands. Each method gives null for any
 * other text, and for a text of that shape that is no valid value, so that the caller falls back to
 * {@code java.time}'s parser, its results and its errors. Stateless.
 */
final class IsoTimes {

  private IsoTimes() {}

  /** {@code yyyy-MM-dd}, or null. */
  static LocalDate date(String text) {
    return text.length() == 10 ? date(text, 0) : null;
  }

  /** {@code HH:mm[:ss[.f…]]}, or null. */
  static LocalTime time(String text) {
    return time(text, 0);
  }

  /** {@code yyyy-MM-ddTHH:mm[:ss[.f…]]}, or null. */
  static LocalDateTime dateTime(String text) {
    if (text.length() < 16 || text.charAt(10) != 'T') {
      return null;
    }
    LocalDate date = date(text, 0);
    LocalTime time = date == null ? null : time(text, 11);
    return time == null ? null : LocalDateTime.of(date, time);
  }

  private static LocalDate date(String text, int at) {
    if (text.length() < at + 10 || text.charAt(at + 4) != '-' || text.charAt(at + 7) != '-') {
      return null;
    }
    int year = digits(text, at, 4);
    int month = digits(text, at + 5, 2);
    int day = digits(text, at + 8, 2);
    if (year < 0 || month < 0 || day < 0) {
      return null;
    }
    try {
      return LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static LocalTime time(String text, int at) {
    int length = text.length() - at;
    if (length < 5 || text.charAt(at + 2) != ':') {
      return null;
    }
    int hour = digits(text, at, 2);
    int minute = digits(text, at + 3, 2);
    int second = 0;
    int nanos = 0;
    if (length > 5) {
      if (length < 8 || text.charAt(at + 5) != ':') {
        return null;
      }
      second = digits(text, at + 6, 2);
      if (length > 8) {
        int fraction = length - 9;
        if (text.charAt(at + 8) != '.' || fraction < 1 || fraction > 9) {
          return null;
        }
        nanos = digits(text, at + 9, fraction);
        if (nanos < 0) {
          return null;
        }
        for (int i = fraction; i < 9; i++) {
          nanos *= 10;
        }
      }
    }
    if (hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    return LocalTime.of(hour, minute, second, nanos);
  }

  /** The decimal number of {@code count} digits at {@code at}, or -1 when one is no digit. */
  private static int digits(String text, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
