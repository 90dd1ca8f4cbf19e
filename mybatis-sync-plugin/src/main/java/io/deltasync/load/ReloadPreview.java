package io.deltasync.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload of one peer from a hub would copy, read on the hub by {@link HubReloads#preview}:
 * the hub's pointers for the peer, whether a reload is already due, and how many rows each table
 * holds on the hub now. Immutable.
 *
 * <p>The counts are the hub's at the moment of the preview; the load itself copies the tables as
 * its own snapshot holds them when the peer opens it, and only those the peer replicates too.
 *
 * @param peer the node that would reload
 * @param hub the node it would reload from (the node that read the preview)
 * @param lastPushed the hub's deltas the peer has acknowledged, up to this seq
 * @param lastProcessed the peer's deltas the hub has applied, up to this seq
 * @param dueReason why a reload of the peer is already due ({@code ds_reload}); null when none is
 * @param rows the hub's rows per replicated table, by table name
 */
public record ReloadPreview(
    String peer,
    String hub,
    long lastPushed,
    long lastProcessed,
    String dueReason,
    Map<String, Long> rows) {

  public ReloadPreview {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(hub, "hub");
    rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
  }

  /** The hub's rows in all the tables. */
  public long totalRows() {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether a reload of the peer is due already: its pulls are refused until it reloads. */
  public boolean due() {
    return dueReason != null;
  }
}
