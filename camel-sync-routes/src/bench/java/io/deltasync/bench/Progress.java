package io.deltasync.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on standard error, so that a long run shows where it is. */
final class Progress {

  private Progress() {}

  static void say(String format, Object... args) {
    System.err.println(
        LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + String.format(format, args));
  }
}
