package io.deltasync.conflict.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a hub detects and resolves conflicts, bound from {@code deltasync.conflict.*}. Mutable, as
 * Spring binds it; not thread-safe until bound.
 */
@ConfigurationProperties("deltasync.conflict")
public class DeltaSyncConflictProperties {

  /**
   * Whether this node checks what its clients send for conflicts; unset means yes when it has no
   * deltasync.node.upstream (it is a hub at the top), no otherwise.
   */
  private Boolean enabled;

  /**
   * Policy of tables without their own: server-wins, client-wins, last-writer-wins, manual, or a
   * ConflictResolver bean name or class name.
   */
  private String defaultPolicy = "server-wins";

  /** Policy per table (table name to policy), overriding default-policy. */
  private Map<String, String> tables = new LinkedHashMap<>();

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getDefaultPolicy() {
    return defaultPolicy;
  }

  public void setDefaultPolicy(String defaultPolicy) {
    this.defaultPolicy = defaultPolicy;
  }

  public Map<String, String> getTables() {
    return tables;
  }

  public void setTables(Map<String, String> tables) {
    this.tables = tables;
  }

  /** Whether conflicts are detected, given this node's upstream (null when it has none). */
  public boolean detects(String upstream) {
    return enabled != null ? enabled : upstream == null;
  }
}
