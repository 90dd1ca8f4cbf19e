package io.deltasync.delta;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Selects names (tables, statement ids) by include and exclude globs: {@code *} matches any run of
 * characters, {@code ?} one character; matching ignores the case of ASCII letters only (no Unicode
 * case folding, under which {@code tıcket} would match {@code ticket}).
 *
 * <p>A name is selected when it matches an include glob (or the include list is empty) and no
 * exclude glob. Immutable and thread-safe.
 *
 * @param include globs a name must match one of; empty means everything
 * @param exclude globs a name must match none of
 */
public record NameFilter(List<String> include, List<String> exclude) {

  /** Selects every name. */
  public static final NameFilter ALL = new NameFilter(List.of(), List.of());

  /**
   * Compiled globs: capture matches every statement against the configured ones, and compiling a
   * pattern each time cost more than the match. Bounded, in case globs come from user input.
   */
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private static final int MAX_CACHED_PATTERNS = 1_000;

  public NameFilter {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  /** A filter from comma-separated glob lists; null or blank lists are empty. */
  public static NameFilter of(String include, String exclude) {
    return new NameFilter(splitList(include), splitList(exclude));
  }

  /** Whether the name is selected. */
  public boolean selects(String name) {
    return (include.isEmpty() || matchesAny(include, name)) && !matchesAny(exclude, name);
  }

  /** Splits a comma-separated list, trimming blanks away. */
  public static List<String> splitList(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static boolean matchesAny(List<String> globs, String name) {
    for (String glob : globs) {
      if (pattern(glob).matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern pattern(String glob) {
    Pattern pattern = PATTERNS.get(glob);
    if (pattern == null) {
      pattern = toRegex(glob);
      if (PATTERNS.size() < MAX_CACHED_PATTERNS) {
        PATTERNS.put(glob, pattern);
      }
    }
    return pattern;
  }

  private static Pattern toRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE); // ASCII only
  }

  @Override
  public String toString() {
    return "include " + include + " exclude " + exclude;
  }
}
