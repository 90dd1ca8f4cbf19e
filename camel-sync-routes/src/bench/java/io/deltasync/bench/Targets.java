package io.deltasync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The targets and whether this run met them, one line each, printed after the tables. */
final class Targets {

  private static final List<String> LINES = new ArrayList<>();

  private Targets() {}

  /** Records whether a measured value met its target. */
  static void check(String what, boolean met, String format, Object... args) {
    LINES.add(
        String.format(
            Locale.ROOT, "- %s: %s — %s", what, String.format(format, args), verdict(met)));
  }

  static List<String> lines() {
    return List.copyOf(LINES);
  }

  private static String verdict(boolean met) {
    return met ? "holds" : "does NOT hold";
  }
}
