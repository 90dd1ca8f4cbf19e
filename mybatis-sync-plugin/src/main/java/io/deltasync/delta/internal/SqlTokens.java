package io.deltasync.delta.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL into tokens the way H2, PostgreSQL and MariaDB (and their JDBC drivers) all do, once
 * {@link #problem} has found nothing that they split differently.
 *
 * <p>The tokenizer knows whitespace; {@code --} comments, to the end of the line; block comments,
 * not nested; {@code '...'} string literals with {@code ''} escapes; {@code "..."} and {@code
 * `...`} quoted names with doubled-quote escapes; words (names, keywords, numbers); and
 * one-character symbols (and {@code ::}). It never fails: on SQL that {@link #problem} refuses it
 * still returns tokens, which then only count placeholders for capture.
 *
 * <p>{@link #problem} refuses, before anything parses the SQL, what the databases read differently
 * from this tokenizer, from JSqlParser or from each other, so that what is checked is what runs:
 *
 * <ul>
 *   <li>anywhere, even in a literal: a backslash (an escape in PostgreSQL {@code E'...'} and in
 *       MariaDB strings), {@code #} (a MariaDB comment), {@code --} not followed by a space, tab or
 *       line break (not a comment in MariaDB), {@code //} (an H2 comment), a carriage return
 *       without a line feed (it ends a {@code --} comment in H2 and PostgreSQL, not in MariaDB),
 *       control characters, and MySQL/MariaDB executable comments;
 *   <li>outside quoted literals and names: {@code $} (dollar quoting in PostgreSQL and H2), and
 *       braces (JDBC escape syntax such as {@code {fn ...}}, which drivers rewrite);
 *   <li>in code: non-ASCII characters (whitespace to H2, part of a name to PostgreSQL and MariaDB);
 *   <li>in a block comment: the start of another (PostgreSQL and H2 nest them);
 *   <li>in a backtick-quoted name: anything but ASCII letters, digits, {@code _} and spaces
 *       (PostgreSQL reads a backtick as an operator, and the name as code);
 *   <li>in a double-quoted name: anything but ASCII letters, digits, {@code _}, {@code $} and
 *       spaces (a non-ASCII letter may fold to another name under Unicode case rules, and a doubled
 *       quote hides where the name ends from simpler readers);
 *   <li>unterminated literals, names and comments.
 * </ul>
 *
 * <p>Captured SQL carries values as {@code ?} parameters, so this rarely refuses a real delta; SQL
 * with such characters in literal values must pass them as parameters instead.
 */
final class SqlTokens {

  /** What a token is. */
  enum Type {
    /** A name, keyword or number, unquoted. */
    WORD,
    /** A {@code "..."} or {@code `...`} quoted name. */
    QUOTED_NAME,
    /** A {@code '...'} string literal. */
    STRING,
    /** One punctuation or operator character, or {@code ::}. */
    SYMBOL
  }

  /**
   * One token.
   *
   * @param type what it is
   * @param text its text as written (with quotes)
   * @param start where it starts in the SQL
   */
  record Token(Type type, String text, int start) {

    /** Whether this is the unquoted word, ignoring case. */
    boolean isWord(String word) {
      return type == Type.WORD && text.equalsIgnoreCase(word);
    }

    /** Whether this is the symbol. */
    boolean isSymbol(String symbol) {
      return type == Type.SYMBOL && text.equals(symbol);
    }

    /** Whether this is a name: an unquoted word or a quoted name. */
    boolean isName() {
      return type == Type.WORD || type == Type.QUOTED_NAME;
    }

    /** The upper-case text of an unquoted word; null for any other token. */
    String keyword() {
      return type == Type.WORD ? text.toUpperCase(Locale.ROOT) : null;
    }

    /** A name without its quotes, lower case. */
    String name() {
      if (type != Type.QUOTED_NAME) {
        return text.toLowerCase(Locale.ROOT);
      }
      String quote = text.substring(0, 1);
      String inner = text.substring(1, text.endsWith(quote) ? text.length() - 1 : text.length());
      return inner.replace(quote + quote, quote).toLowerCase(Locale.ROOT);
    }
  }

  private SqlTokens() {}

  /** The SQL's tokens, without whitespace and comments. */
  static List<Token> of(String sql) {
    List<Token> tokens = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : 0;
      if (c <= ' ' || c == 0x7f) {
        i++;
      } else if (c == '-' && next == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '/' && next == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = endOfQuoted(sql, i);
        tokens.add(new Token(c == '\'' ? Type.STRING : Type.QUOTED_NAME, sql.substring(i, end), i));
        i = end;
      } else if (isWordPart(c)) {
        int end = i + 1;
        while (end < n && isWordPart(sql.charAt(end))) {
          end++;
        }
        tokens.add(new Token(Type.WORD, sql.substring(i, end), i));
        i = end;
      } else if (c == ':' && next == ':') {
        tokens.add(new Token(Type.SYMBOL, "::", i));
        i += 2;
      } else {
        tokens.add(new Token(Type.SYMBOL, String.valueOf(c), i));
        i++;
      }
    }
    return tokens;
  }

  /** How many {@code ?} placeholders the SQL has outside literals, quoted names and comments. */
  static int placeholders(String sql) {
    int count = 0;
    for (Token token : of(sql)) {
      if (token.isSymbol("?")) {
        count++;
      }
    }
    return count;
  }

  /**
   * Why databases might read the SQL differently from this tokenizer, or null when they cannot.
   * Refuses even some harmless SQL: the rules are kept simple enough to be sure of.
   */
  static String problem(String sql) {
    String upper = sql.toUpperCase(Locale.ROOT);
    if (upper.contains("/*!") || upper.contains("/*M!")) {
      // a comment to the parser, code to MySQL and MariaDB; refused even inside a literal
      return "it holds a MySQL/MariaDB executable comment (/*! ... */), which the database runs"
          + " but this check cannot see";
    }
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      String problem = problemAnywhere(sql, i);
      if (problem != null) {
        return problem;
      }
    }
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : 0;
      if (c == '-' && next == '-') {
        int end = sql.indexOf('\n', i);
        String problem = problemOutsideQuotes(sql, i, end < 0 ? n : end, false);
        if (problem != null) {
          return problem;
        }
        i = end < 0 ? n : end + 1;
      } else if (c == '/' && next == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          return "it has an unterminated comment (/* without */)";
        }
        int nested = sql.indexOf("/*", i + 2);
        if (nested >= 0 && nested < end) {
          return "it has /* inside a block comment, which PostgreSQL and H2 read as a nested"
              + " comment";
        }
        String problem = problemOutsideQuotes(sql, i, end, false);
        if (problem != null) {
          return problem;
        }
        i = end + 2;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = closing(sql, i);
        if (end < 0) {
          return "it has an unterminated "
              + (c == '\'' ? "string literal" : "quoted name")
              + " (a "
              + c
              + " without its closing "
              + c
              + ")";
        }
        if (c == '`') {
          for (int j = i + 1; j < end - 1; j++) {
            char inner = sql.charAt(j);
            if (!isAsciiLetterOrDigit(inner) && inner != '_' && inner != ' ') {
              return "it has a name quoted with backticks that holds "
                  + describe(inner)
                  + ", which PostgreSQL reads as code (only ASCII letters, digits, _ and spaces"
                  + " are accepted there)";
            }
          }
        } else if (c == '"') {
          for (int j = i + 1; j < end - 1; j++) {
            char inner = sql.charAt(j);
            if (!isAsciiLetterOrDigit(inner) && inner != '_' && inner != ' ' && inner != '$') {
              return "it has a quoted name that holds "
                  + describe(inner)
                  + ", which databases may match to another name (only ASCII letters, digits, _,"
                  + " $ and spaces are accepted in quoted names)";
            }
          }
        }
        i = end;
      } else {
        String problem = problemOutsideQuotes(sql, i, i + 1, true);
        if (problem != null) {
          return problem;
        }
        i++;
      }
    }
    return null;
  }

  /** The deepest parenthesis nesting a delta's SQL may have. */
  static final int MAX_DEPTH = 64;

  /** The most AND / OR operators (also {@code &&}, {@code ||}, counted per character). */
  static final int MAX_CONDITIONS = 1_000;

  /**
   * Why the SQL is too large in shape to parse and check safely (parsers and tree walks recurse
   * once per nesting level and per AND / OR), or null.
   */
  static String sizeProblem(String sql) {
    int depth = 0;
    int deepest = 0;
    int conditions = 0;
    for (Token token : of(sql)) {
      if (token.isSymbol("(")) {
        deepest = Math.max(deepest, ++depth);
      } else if (token.isSymbol(")")) {
        depth--;
      } else if (token.isWord("AND")
          || token.isWord("OR")
          || token.isSymbol("&")
          || token.isSymbol("|")) {
        conditions++;
      }
    }
    if (deepest > MAX_DEPTH) {
      return "its SQL nests parentheses "
          + deepest
          + " deep, more than the "
          + MAX_DEPTH
          + " a delta may have";
    }
    if (conditions > MAX_CONDITIONS) {
      return "its SQL has "
          + conditions
          + " AND / OR conditions, more than the "
          + MAX_CONDITIONS
          + " a delta may have";
    }
    return null;
  }

  /** Checks one position for what is refused wherever it stands, even in a literal. */
  private static String problemAnywhere(String sql, int i) {
    char c = sql.charAt(i);
    char next = i + 1 < sql.length() ? sql.charAt(i + 1) : 0;
    if (c == '\\') {
      return "it contains a backslash, which databases read differently (escapes); pass such"
          + " values as parameters";
    }
    if (c == '\r' && next != '\n') {
      return "it contains a carriage return without a line feed, which databases read"
          + " differently (the end of a -- comment)";
    }
    if ((c < ' ' && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      return "it contains the control character "
          + describe(c)
          + ", which databases read differently";
    }
    if (c == '#') {
      return "it contains #, which MySQL and MariaDB read as the start of a comment; pass such"
          + " values as parameters";
    }
    if (c == '-' && next == '-') {
      char after = i + 2 < sql.length() ? sql.charAt(i + 2) : 0;
      if (after != ' ' && after != '\t' && after != '\r' && after != '\n') {
        return "it contains -- not followed by a space, tab or line break, which MariaDB does"
            + " not read as a comment";
      }
    }
    if (c == '/' && next == '/') {
      return "it contains //, which H2 reads as the start of a comment";
    }
    return null;
  }

  /** Checks code or a comment, from start to end, for what is refused outside quotes. */
  private static String problemOutsideQuotes(String sql, int start, int end, boolean code) {
    for (int i = start; i < end; i++) {
      char c = sql.charAt(i);
      if (c == '$') {
        return "it contains $ outside a quoted literal, which PostgreSQL and H2 read as dollar"
            + " quoting; pass such values as parameters";
      }
      if (c == '{' || c == '}') {
        return "it contains "
            + c
            + " outside a quoted literal, which JDBC drivers rewrite (escape syntax) before the"
            + " database sees it";
      }
      if (code && c > 0x7f) {
        return "it contains the character "
            + describe(c)
            + " outside a quoted literal, name or comment, which databases read differently"
            + " (whitespace, or part of a name); quote such names";
      }
    }
    return null;
  }

  private static String describe(char c) {
    return String.format(Locale.ROOT, "U+%04X", (int) c)
        + (c > ' ' && c < 0x7f ? " (" + c + ")" : "");
  }

  /**
   * Where the quoted literal or name starting at {@code start} ends (after its closing quote), or
   * the SQL's length when it does not end.
   */
  private static int endOfQuoted(String sql, int start) {
    int end = closing(sql, start);
    return end < 0 ? sql.length() : end;
  }

  /**
   * Where the quoted literal or name starting at {@code start} ends (after its closing quote), or
   * -1 when it does not end. A doubled quote stands for one quote inside.
   */
  private static int closing(String sql, int start) {
    char quote = sql.charAt(start);
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return -1;
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** Letters, digits, _ and $, and (for PostgreSQL and MariaDB) every non-ASCII character. */
  private static boolean isWordPart(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '$'
        || c > 0x7f;
  }
}
