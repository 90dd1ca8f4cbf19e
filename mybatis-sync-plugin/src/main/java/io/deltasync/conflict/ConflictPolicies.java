package io.deltasync.conflict;

import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

/**
 * Which policy decides the conflicts of each table: one per table where configured, else the
 * default ({@code server-wins} unless told otherwise). Immutable and thread-safe.
 *
 * <p>A policy is named by a built-in id ({@link ConflictPolicy}: {@code server-wins}, {@code
 * client-wins}, {@code last-writer-wins}, {@code manual}), by the class name of a {@link
 * ConflictResolver} with a public no-argument constructor, or by a name the caller's lookup knows
 * (Spring Boot looks up a bean of that name).
 */
public final class ConflictPolicies {

  /** The {@code <property>} key of the default policy. */
  public static final String PROPERTY = "conflictPolicy";

  /** The prefix of per-table {@code <property>} keys: {@code conflictPolicy.<table>}. */
  public static final String TABLE_PROPERTY_PREFIX = PROPERTY + ".";

  /**
   * A named policy.
   *
   * @param name as configured, recorded with each conflict it decides
   * @param resolver what decides
   */
  public record Policy(String name, ConflictResolver resolver) {
    public Policy {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(resolver, "resolver");
    }
  }

  private final Policy fallback;
  private final Map<String, Policy> byTable;

  private ConflictPolicies(Policy fallback, Map<String, Policy> byTable) {
    this.fallback = fallback;
    this.byTable = Map.copyOf(byTable);
  }

  /** {@code server-wins} for every table. */
  public static ConflictPolicies serverWins() {
    return of(ConflictPolicy.SERVER_WINS.id(), Map.of(), name -> null);
  }

  /**
   * Policies from names.
   *
   * @param defaultPolicy the policy of tables not listed; null or blank means {@code server-wins}
   * @param tablePolicies table name (case-insensitive) to policy name
   * @param lookup resolves names that are neither built-in nor class names (e.g. Spring beans);
   *     returns null when it does not know the name
   * @throws IllegalArgumentException naming the table and the policy that could not be resolved
   */
  public static ConflictPolicies of(
      String defaultPolicy,
      Map<String, String> tablePolicies,
      Function<String, ConflictResolver> lookup) {
    String fallbackName =
        defaultPolicy == null || defaultPolicy.isBlank()
            ? ConflictPolicy.SERVER_WINS.id()
            : defaultPolicy.trim();
    Policy fallback = new Policy(fallbackName, resolve(fallbackName, "the default", lookup));
    Map<String, Policy> byTable = new LinkedHashMap<>();
    tablePolicies.forEach(
        (table, name) -> {
          String key = table.trim().toLowerCase(Locale.ROOT);
          byTable.put(key, new Policy(name.trim(), resolve(name, "table " + key, lookup)));
        });
    return new ConflictPolicies(fallback, byTable);
  }

  /**
   * Reads the plugin's {@code <property>} keys: {@code conflictPolicy} (the default) and {@code
   * conflictPolicy.<table>}; other keys are ignored.
   */
  public static ConflictPolicies fromProperties(Properties properties) {
    Map<String, String> tables = new LinkedHashMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith(TABLE_PROPERTY_PREFIX)) {
        tables.put(key.substring(TABLE_PROPERTY_PREFIX.length()), properties.getProperty(key));
      }
    }
    return of(properties.getProperty(PROPERTY), tables, name -> null);
  }

  /** The policy deciding the table's conflicts. */
  public Policy forTable(String table) {
    return table == null
        ? fallback
        : byTable.getOrDefault(table.toLowerCase(Locale.ROOT), fallback);
  }

  /** The default policy. */
  public Policy fallback() {
    return fallback;
  }

  /** The tables with a policy of their own, to their policy. */
  public Map<String, Policy> tables() {
    return byTable;
  }

  private static ConflictResolver resolve(
      String name, String whose, Function<String, ConflictResolver> lookup) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("the conflict policy of " + whose + " must not be blank");
    }
    String trimmed = name.trim();
    ConflictResolver builtIn = ConflictPolicy.named(trimmed).orElse(null);
    if (builtIn != null) {
      return builtIn;
    }
    ConflictResolver found = lookup.apply(trimmed);
    if (found != null) {
      return found;
    }
    return instantiate(trimmed, whose);
  }

  private static ConflictResolver instantiate(String className, String whose) {
    try {
      Class<?> type =
          Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      if (!ConflictResolver.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(
            "the conflict policy of "
                + whose
                + " names "
                + className
                + ", which does not implement "
                + ConflictResolver.class.getName());
      }
      return (ConflictResolver) type.getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "the conflict policy of "
              + whose
              + " must be server-wins, client-wins, last-writer-wins, manual or the class name of"
              + " a ConflictResolver, but was '"
              + className
              + "'",
          e);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      throw new IllegalArgumentException(
          "the conflict resolver "
              + className
              + " of "
              + whose
              + " could not be created with its no-argument constructor: "
              + cause,
          cause);
    }
  }
}
