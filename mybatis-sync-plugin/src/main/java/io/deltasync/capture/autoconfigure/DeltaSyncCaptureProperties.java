package io.deltasync.capture.autoconfigure;

import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the interceptor records, bound from {@code deltasync.capture.*}; the Spring Boot side of
 * {@link io.deltasync.capture.CaptureSettings}.
 *
 * <p>Globs use {@code *} and {@code ?} and ignore case; see {@link NameFilter}. Tables named {@code
 * ds_*} are never recorded, whatever these say. Mutable, as Spring binds it; not thread-safe until
 * bound.
 */
@ConfigurationProperties("deltasync.capture")
public class DeltaSyncCaptureProperties {

  /** Whether to record MyBatis mutations as deltas. */
  private boolean enabled = true;

  /** Globs of the tables to record and replicate; empty means every table. */
  private List<String> includeTables = new ArrayList<>();

  /** Globs of the tables never recorded nor replicated, e.g. audit_*. */
  private List<String> excludeTables = new ArrayList<>();

  /** Globs of the MyBatis statement ids to record; empty means every statement. */
  private List<String> includeStatements = new ArrayList<>();

  /** Globs of the MyBatis statement ids never recorded. */
  private List<String> excludeStatements = new ArrayList<>();

  /** Kinds of mutation never recorded: INSERT, UPDATE, DELETE. */
  private Set<Kind> excludeKinds = EnumSet.noneOf(Kind.class);

  /**
   * Globs of the MyBatis statement ids whose node-dependent functions (now(), random(), a
   * sequence's next value, ...) each node evaluates itself, instead of being refused when DeltaSync
   * cannot record the values they returned; receiving nodes must allow the functions too.
   */
  private List<String> evaluateOnEachNode = new ArrayList<>();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<String> getIncludeTables() {
    return includeTables;
  }

  public void setIncludeTables(List<String> includeTables) {
    this.includeTables = includeTables;
  }

  public List<String> getExcludeTables() {
    return excludeTables;
  }

  public void setExcludeTables(List<String> excludeTables) {
    this.excludeTables = excludeTables;
  }

  public List<String> getIncludeStatements() {
    return includeStatements;
  }

  public void setIncludeStatements(List<String> includeStatements) {
    this.includeStatements = includeStatements;
  }

  public List<String> getExcludeStatements() {
    return excludeStatements;
  }

  public void setExcludeStatements(List<String> excludeStatements) {
    this.excludeStatements = excludeStatements;
  }

  public Set<Kind> getExcludeKinds() {
    return excludeKinds;
  }

  public void setExcludeKinds(Set<Kind> excludeKinds) {
    this.excludeKinds = excludeKinds;
  }

  public List<String> getEvaluateOnEachNode() {
    return evaluateOnEachNode;
  }

  public void setEvaluateOnEachNode(List<String> evaluateOnEachNode) {
    this.evaluateOnEachNode = evaluateOnEachNode;
  }

  /** The tables to record, which are also the tables this node accepts from others. */
  public NameFilter tableFilter() {
    return new NameFilter(includeTables, excludeTables);
  }

  /** The statement ids to record. */
  public NameFilter statementFilter() {
    return new NameFilter(includeStatements, excludeStatements);
  }
}
