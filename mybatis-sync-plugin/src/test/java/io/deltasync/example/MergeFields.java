package io.deltasync.example;

import io.deltasync.conflict.Conflict;
import io.deltasync.conflict.ConflictResolver;
import io.deltasync.conflict.Resolution;

/** The README's custom resolver: the incoming side's title, everything else from the hub's row. */
public final class MergeFields implements ConflictResolver {
  @Override
  public Resolution resolve(Conflict conflict) {
    if (conflict.hubRow() == null || conflict.incomingRow() == null) {
      return Resolution.keepHub();
    }
    return Resolution.row(conflict.hubRow().with("title", conflict.incomingRow().get("title")));
  }
}
