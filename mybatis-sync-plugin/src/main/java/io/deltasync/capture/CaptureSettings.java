package io.deltasync.capture;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * What the interceptor records and as which node.
 *
 * <p>Plain MyBatis sets these with {@code <property>} keys (see {@link #fromProperties}); Spring
 * Boot with {@code deltasync.node.*} and {@code deltasync.capture.*}. Tables named {@code ds_*}
 * (DeltaSync's own) are never recorded.
 *
 * @param nodeId this node's id, recorded as every delta's origin
 * @param upstream the hub this node pulls from: its {@code lastProcessed} becomes each delta's
 *     basis; null when the node has none
 * @param tables which tables are recorded (by name, lower case)
 * @param statements which MyBatis statement ids are recorded
 * @param excludedKinds kinds of mutation never recorded
 * @param evaluateOnEachNode globs of the statement ids whose node-dependent functions ({@code
 *     now()}, {@code random()}, a sequence's next value, ...) are recorded as written, to be
 *     evaluated again on each node, rather than refused when DeltaSync cannot record the values
 *     they returned; empty for none
 */
public record CaptureSettings(
    String nodeId,
    String upstream,
    NameFilter tables,
    NameFilter statements,
    Set<Kind> excludedKinds,
    List<String> evaluateOnEachNode) {

  /** The {@code <property>} keys the interceptor understands. */
  public static final List<String> KEYS =
      List.of(
          "nodeId",
          "upstream",
          "includeTables",
          "excludeTables",
          "includeStatements",
          "excludeStatements",
          "excludeKinds",
          "evaluateOnEachNode",
          "filters");

  public CaptureSettings {
    Delta.requireNodeId(nodeId, "nodeId");
    if (upstream != null) {
      Delta.requireNodeId(upstream, "upstream");
    }
    excludedKinds = excludedKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(excludedKinds));
    evaluateOnEachNode = List.copyOf(evaluateOnEachNode);
  }

  /** Settings whose statements never evaluate node-dependent functions on each node. */
  public CaptureSettings(
      String nodeId,
      String upstream,
      NameFilter tables,
      NameFilter statements,
      Set<Kind> excludedKinds) {
    this(nodeId, upstream, tables, statements, excludedKinds, List.of());
  }

  /** Settings that record every mutation of every table as the given node. */
  public static CaptureSettings recordAll(String nodeId) {
    return new CaptureSettings(nodeId, null, NameFilter.ALL, NameFilter.ALL, Set.of());
  }

  /**
   * Reads {@code <property>} keys: {@code nodeId} (required), {@code upstream}, {@code
   * includeTables}, {@code excludeTables}, {@code includeStatements}, {@code excludeStatements}
   * (comma-separated globs), {@code excludeKinds} (comma-separated INSERT, UPDATE, DELETE), {@code
   * evaluateOnEachNode} (comma-separated globs of statement ids). The {@code filters} key is read
   * by the interceptor, and the {@code conflictPolicy} keys by {@link
   * io.deltasync.conflict.ConflictPolicies#fromProperties}. Unknown keys are an error.
   */
  public static CaptureSettings fromProperties(Properties properties) {
    for (String key : properties.stringPropertyNames()) {
      if (!KEYS.contains(key)
          && !key.equals(io.deltasync.conflict.ConflictPolicies.PROPERTY)
          && !key.startsWith(io.deltasync.conflict.ConflictPolicies.TABLE_PROPERTY_PREFIX)) {
        throw new IllegalArgumentException(
            "unknown DeltaSync property '"
                + key
                + "'; known properties are "
                + KEYS
                + ", conflictPolicy and conflictPolicy.<table>");
      }
    }
    String nodeId = properties.getProperty("nodeId");
    if (nodeId == null) {
      throw new IllegalArgumentException(
          "DeltaSync needs the nodeId property: <property name=\"nodeId\" value=\"node-a\"/>");
    }
    return new CaptureSettings(
        nodeId.trim(),
        blankToNull(properties.getProperty("upstream")),
        NameFilter.of(
            properties.getProperty("includeTables"), properties.getProperty("excludeTables")),
        NameFilter.of(
            properties.getProperty("includeStatements"),
            properties.getProperty("excludeStatements")),
        parseKinds(properties.getProperty("excludeKinds")),
        NameFilter.splitList(properties.getProperty("evaluateOnEachNode")));
  }

  /** Parses a comma-separated list of kinds, naming a wrong one in the error. */
  public static Set<Kind> parseKinds(String csv) {
    List<Kind> kinds = new ArrayList<>();
    for (String name : NameFilter.splitList(csv)) {
      try {
        kinds.add(Kind.valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "excludeKinds takes INSERT, UPDATE or DELETE, but was '" + name + "'");
      }
    }
    return kinds.isEmpty() ? Set.of() : EnumSet.copyOf(kinds);
  }

  /** Whether a statement of this table is recorded; unknown tables only when all are included. */
  public boolean recordsTable(String table) {
    if (table == null) {
      return tables.include().isEmpty();
    }
    return !table.startsWith("ds_") && tables.selects(table);
  }

  /**
   * Whether the statement's node-dependent functions are recorded as written and evaluated on each
   * node (see {@link #evaluateOnEachNode}).
   */
  public boolean evaluatesOnEachNode(String statementId) {
    return !evaluateOnEachNode.isEmpty()
        && new NameFilter(evaluateOnEachNode, List.of()).selects(statementId);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
