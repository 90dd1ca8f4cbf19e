package io.deltasync.delta.internal;

/**
 * Counts JDBC {@code ?} placeholders outside string literals, quoted names and comments, as {@link
 * SqlTokens} splits them (standard SQL quoting: a backslash escapes nothing, which is why the
 * validator refuses SQL holding one).
 */
final class Placeholders {

  private Placeholders() {}

  static int count(String sql) {
    return SqlTokens.placeholders(sql);
  }
}
