package io.deltasync.verify.internal;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.internal.ParamText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * The canonical text of a row, the same on every database for the same values, and the hash of a
 * run of rows. A hasher is not thread-safe.
 *
 * <p>Columns go in name order; each value is its {@link ParamText} text with its length in front,
 * and a SQL null is a {@code -}, so no two rows share a text. A text value's trailing spaces are
 * left out, as from a {@link io.deltasync.delta.RowKey}: a {@code CHAR(n)} column reads back padded
 * from H2 and PostgreSQL and trimmed from MariaDB, and the same rows must give the same text.
 */
public final class RowText {

  private final MessageDigest digest;

  /** A hasher over no rows yet. */
  public RowText() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** Adds a row to the hash. */
  public void add(Row row) {
    digest.update(of(row).getBytes(StandardCharsets.UTF_8));
  }

  /** The hex hash of the rows added so far; the hasher starts over. */
  public String hash() {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The row's canonical text. */
  public static String of(Row row) {
    TreeMap<String, Param> sorted = new TreeMap<>(row.values());
    StringBuilder text = new StringBuilder();
    sorted.forEach(
        (column, value) -> {
          text.append(column).append('=');
          if (value.isNull()) {
            text.append('-');
          } else {
            String valueText = ParamText.of(value);
            if (value.type() == ParamType.STRING) {
              valueText = withoutTrailingSpaces(valueText);
            }
            text.append(valueText.length()).append(':').append(valueText);
          }
          text.append('\n');
        });
    return text.append('\n').toString();
  }

  /**
   * The key texts rows of two databases are matched by: {@link #key} without trailing spaces (which
   * only text values have), since a padded {@code CHAR} key on one database and the trimmed one on
   * another name one row. Range bounds keep the exact texts of {@link #key}.
   */
  public static List<String> matchKey(Row row, List<String> keyColumns) {
    return matching(key(row, keyColumns));
  }

  /** Key texts as {@link #matchKey} gives them. */
  public static List<String> matching(List<String> keyTexts) {
    return keyTexts.stream().map(RowText::withoutTrailingSpaces).toList();
  }

  private static String withoutTrailingSpaces(String text) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == ' ') {
      end--;
    }
    return end == text.length() ? text : text.substring(0, end);
  }

  /** The texts of the row's key values, in key-column order. */
  public static List<String> key(Row row, List<String> keyColumns) {
    return row.params(keyColumns).stream().map(ParamText::of).toList();
  }
}
