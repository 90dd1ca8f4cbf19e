package io.deltasync.ship.support;

import io.deltasync.conflict.Conflict;
import io.deltasync.conflict.ConflictResolver;
import io.deltasync.conflict.Resolution;

/**
 * The conflict tests' custom resolver, configured by class name: when both sides have the row, the
 * incoming side's {@code title} with every other column from the hub's row; when only one side has
 * it, that side (an insert the hub lacks is taken, a deletion of the hub's row is carried out).
 * Stateless and thread-safe.
 */
public final class TitleFromClientResolver implements ConflictResolver {

  @Override
  public Resolution resolve(Conflict conflict) {
    if (!conflict.rowLevel()) {
      return Resolution.keepHub();
    }
    if (conflict.hubRow() != null && conflict.incomingRow() != null) {
      return Resolution.row(conflict.hubRow().with("title", conflict.incomingRow().get("title")));
    }
    if (conflict.incomingRow() != null) {
      return Resolution.takeIncoming();
    }
    return conflict.hubRow() != null ? Resolution.delete() : Resolution.keepHub();
  }
}
