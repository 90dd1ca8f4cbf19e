package io.deltasync.delta.internal;

/**
 * Text a sender chose (a reason naming its SQL, a row key's values, a database's message quoting
 * them), made safe for one log line: control, line-separator and bidirectional-format characters
 * become visible escapes, so an authenticated sender cannot start a forged line or hide part of
 * one; text longer than {@link #MAX_CHARS} is cut, saying how much was left out.
 */
public final class LogText {

  /** The most characters of one value a log line shows. */
  public static final int MAX_CHARS = 2_000;

  private LogText() {}

  /** The value's text for a log line; {@code "null"} for null. */
  public static String of(Object value) {
    String text = String.valueOf(value);
    int shown = Math.min(text.length(), MAX_CHARS);
    StringBuilder out = null;
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      String escape = escape(c);
      if (escape != null && out == null) {
        out = new StringBuilder(shown + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escape != null) {
          out.append(escape);
        } else {
          out.append(c);
        }
      }
    }
    if (out == null && shown == text.length()) {
      return text;
    }
    if (out == null) {
      out = new StringBuilder(text.substring(0, shown));
    }
    if (shown < text.length()) {
      int left = text.length() - shown;
      out.append("… (").append(left).append(left == 1 ? " more character)" : " more characters)");
    }
    return out.toString();
  }

  /** Whether the text holds a character a log line would have to escape. */
  public static boolean hasUnsafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (escape(text.charAt(i)) != null) {
        return true;
      }
    }
    return false;
  }

  private static String escape(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    boolean unsafe =
        Character.isISOControl(c)
            || c == '\u2028'
            || c == '\u2029'
            || c == '\u200e'
            || c == '\u200f'
            || (c >= '\u202a' && c <= '\u202e')
            || (c >= '\u2066' && c <= '\u2069');
    return unsafe ? String.format("\\u%04x", (int) c) : null;
  }
}
