package io.deltasync.conflict;

import java.util.Arrays;
import java.util.Optional;

/** The built-in policies, by the names configuration uses. */
public enum ConflictPolicy implements ConflictResolver {
  /** The hub's row stays; the incoming change is dropped and its origin gets the hub's row. */
  SERVER_WINS("server-wins") {
    @Override
    public Resolution resolve(Conflict conflict) {
      return Resolution.keepHub();
    }
  },
  /** The incoming change is applied over the hub's row. */
  CLIENT_WINS("client-wins") {
    @Override
    public Resolution resolve(Conflict conflict) {
      return Resolution.takeIncoming();
    }
  },
  /** The later write by captured time wins; see {@link Conflict#incomingIsLatest()}. */
  LAST_WRITER_WINS("last-writer-wins") {
    @Override
    public Resolution resolve(Conflict conflict) {
      if (conflict.hubDeltas().isEmpty()) {
        return Resolution.keepHub();
      }
      return conflict.incomingIsLatest() ? Resolution.takeIncoming() : Resolution.keepHub();
    }
  },
  /** Nothing is applied; the conflict waits in {@code ds_conflict} for an admin. */
  MANUAL("manual") {
    @Override
    public Resolution resolve(Conflict conflict) {
      return Resolution.park();
    }
  };

  private final String id;

  ConflictPolicy(String id) {
    this.id = id;
  }

  /** The name in configuration, e.g. {@code server-wins}. */
  public String id() {
    return id;
  }

  /** The built-in policy of that name (case-insensitive), if it is one. */
  public static Optional<ConflictPolicy> named(String name) {
    return Arrays.stream(values()).filter(p -> p.id.equalsIgnoreCase(name.trim())).findFirst();
  }
}
