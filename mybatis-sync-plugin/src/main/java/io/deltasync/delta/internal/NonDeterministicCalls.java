package io.deltasync.delta.internal;

import io.deltasync.delta.internal.SqlTokens.Token;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the calls in SQL whose result depends on the node that runs them: clocks ({@code now()},
 * {@code current_timestamp}, {@code sysdate}, ...), random values ({@code random()}, {@code
 * rand()}, {@code uuid()}, {@code gen_random_uuid()}, {@code random_uuid()}, {@code newid()}, ...)
 * and sequences ({@code nextval('s')}, {@code NEXT VALUE FOR s}, {@code s.nextval}, {@code
 * currval}, ...), in the spellings of H2, PostgreSQL and MariaDB (and a few others). Stateless and
 * thread-safe.
 *
 * <p>It reads the SQL's tokens ({@link SqlTokens}), so string literals ({@code 'now()'}), quoted
 * names ({@code "now"}) and comments are never taken for calls, and case does not matter. A name in
 * {@link #FUNCTIONS} counts when an opening parenthesis follows it; one in {@link #BARE} (called
 * without parentheses) counts anywhere except after a dot ({@code t.localtime} is a column). Erring
 * means naming more, never fewer.
 */
public final class NonDeterministicCalls {

  /** Functions, lower case, that count when called with parentheses. */
  public static final Set<String> FUNCTIONS =
      Set.of(
          // clocks
          "now",
          "current_timestamp",
          "current_date",
          "current_time",
          "localtimestamp",
          "localtime",
          "sysdate",
          "systimestamp",
          "systime",
          "today",
          "curdate",
          "curtime",
          "utc_timestamp",
          "utc_date",
          "utc_time",
          "unix_timestamp",
          "clock_timestamp",
          "statement_timestamp",
          "transaction_timestamp",
          "timeofday",
          "getdate",
          "getutcdate",
          "sysdatetime",
          // random values
          "random",
          "rand",
          "secure_rand",
          "random_normal",
          "uuid",
          "uuid_short",
          "random_uuid",
          "gen_random_uuid",
          "gen_random_bytes",
          "uuid_generate_v1",
          "uuid_generate_v1mc",
          "uuid_generate_v4",
          "newid",
          "newsequentialid",
          "sys_guid",
          "random_bytes",
          // sequences and session state
          "nextval",
          "currval",
          "lastval",
          "setval",
          "last_insert_id");

  /** Clock functions, lower case, that databases call without parentheses. */
  public static final Set<String> BARE =
      Set.of(
          "current_timestamp",
          "current_date",
          "current_time",
          "localtimestamp",
          "localtime",
          "sysdate",
          "systimestamp",
          "utc_timestamp",
          "utc_date",
          "utc_time");

  /** How a sequence's next value is written without a function: {@code NEXT VALUE FOR s}. */
  public static final String NEXT_VALUE_FOR = "next value for";

  private NonDeterministicCalls() {}

  /**
   * The node-dependent calls the SQL makes, lower case, in the order they first appear; empty when
   * there are none. A sequence accessed as {@code NEXT VALUE FOR s} is named {@value
   * #NEXT_VALUE_FOR}, as {@code s.nextval} or {@code s.currval} {@code nextval} or {@code currval}.
   */
  public static List<String> in(String sql) {
    if (!mayHold(sql)) {
      return List.of();
    }
    List<Token> tokens = SqlTokens.of(sql);
    Set<String> found = new LinkedHashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (token.type() != SqlTokens.Type.WORD) {
        continue;
      }
      String word = token.name();
      boolean afterDot = i > 0 && tokens.get(i - 1).isSymbol(".");
      boolean call = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol("(");
      if (call && FUNCTIONS.contains(word)) {
        found.add(word);
      } else if (!afterDot && BARE.contains(word)) {
        found.add(word);
      } else if (afterDot && !call && (word.equals("nextval") || word.equals("currval"))) {
        found.add(word);
      } else if (word.equals("next")
          && i + 2 < tokens.size()
          && tokens.get(i + 1).isWord("value")
          && tokens.get(i + 2).isWord("for")) {
        found.add(NEXT_VALUE_FOR);
      }
    }
    return List.copyOf(new ArrayList<>(found));
  }

  /**
   * Whether the SQL may hold a node-dependent call, by a quick look for the letters every such name
   * has: most SQL is answered here without being split into tokens.
   */
  private static boolean mayHold(String sql) {
    for (int i = 0; i < sql.length(); i++) {
      char c = (char) (sql.charAt(i) | 0x20);
      if (c == 'n' || c == 'c' || c == 'l' || c == 's' || c == 'r' || c == 'u' || c == 't'
          || c == 'g') {
        if (startsWord(sql, i)) {
          return true;
        }
      }
    }
    return false;
  }

  private static final String[] STEMS = {
    "now",
    "cur",
    "loc",
    "sys",
    "ran",
    "rand",
    "uuid",
    "unix",
    "utc",
    "today",
    "clock",
    "statement_t",
    "transaction_t",
    "timeofday",
    "getdate",
    "getutc",
    "secure",
    "gen_random",
    "newid",
    "newseq",
    "nextval",
    "lastval",
    "setval",
    "last_insert",
    "next"
  };

  private static boolean startsWord(String sql, int i) {
    if (i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_')) {
      return false;
    }
    for (String stem : STEMS) {
      if (sql.regionMatches(true, i, stem, 0, stem.length())) {
        return true;
      }
    }
    return false;
  }
}
