package io.deltasync.verify.internal;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
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
 * and a SQL null is a {@code -}, so no two rows share a text.
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
            text.append(valueText.length()).append(':').append(valueText);
          }
          text.append('\n');
        });
    return text.append('\n').toString();
  }

  /** The texts of the row's key values, in key-column order. */
  public static List<String> key(Row row, List<String> keyColumns) {
    return row.params(keyColumns).stream().map(ParamText::of).toList();
  }
}
