package io.deltasync.console.system;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Instants as forms send them: ISO-8601 with an offset, or a local date-time taken as UTC. */
public final class Times {

  private Times() {}

  /**
   * The instant the text names; null for blank text.
   *
   * @throws IllegalArgumentException when the text is no ISO-8601 instant or local date-time
   */
  public static Instant parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "a time must be ISO-8601 such as 2026-12-04T08:00 (UTC), but was '" + text + "'", e);
      }
    }
  }
}
