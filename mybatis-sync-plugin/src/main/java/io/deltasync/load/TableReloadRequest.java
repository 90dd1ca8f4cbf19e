package io.deltasync.load;

import java.time.Instant;
import java.util.Objects;

/**
 * A hub's request that one of its clients reload one table from it ({@link
 * HubReloads#requestTable}), as the hub holds it in {@code ds_table_reload}. Immutable.
 *
 * @param peer the client that reloads the table
 * @param table the table, lower case
 * @param id the request's id, which the client reports back with
 * @param requestedBy who asked (e.g. {@code "alice (console)"})
 * @param failed false while the client is told at its pulls; true once it reported that the reload
 *     failed, with {@code error}
 * @param error the client's error when {@code failed}, else null
 * @param notedAt when asked, or when the client reported its failure
 */
public record TableReloadRequest(
    String peer,
    String table,
    String id,
    String requestedBy,
    boolean failed,
    String error,
    Instant notedAt) {

  public TableReloadRequest {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(notedAt, "notedAt");
  }
}
