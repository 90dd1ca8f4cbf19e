package io.deltasync.load;

/**
 * Thrown by a hub asked for deltas by a node that must reload from it first: the hub no longer
 * holds deltas the node lacks (it purged them before the node got them), or the node's database
 * went back (restored from a backup, or lost its latest commits) and lacks rows the hub has, its
 * own earlier writes among them. Deltas alone cannot bring such a node back: it reloads from a
 * snapshot of the hub ({@link Loader#reloadNeeded}), after which the hub serves it again.
 */
public class ReloadNeededException extends LoadException {

  private final String node;
  private final String hub;

  /**
   * @param node the node that must reload
   * @param hub the node it must reload from
   * @param message why, naming the gap
   */
  public ReloadNeededException(String node, String hub, String message) {
    super(message);
    this.node = node;
    this.hub = hub;
  }

  /** The node that must reload. */
  public String node() {
    return node;
  }

  /** The node it must reload from. */
  public String hub() {
    return hub;
  }
}
