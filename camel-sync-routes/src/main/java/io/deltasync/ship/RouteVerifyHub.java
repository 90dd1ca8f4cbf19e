package io.deltasync.ship;

import io.deltasync.load.LoadException;
import io.deltasync.verify.VerifyException;

/**
 * A hub's verify endpoint reached through this node's {@code deltasync:load?peer=<hub>} route, for
 * a client that reaches its hub by a queue or a folder (the shipped {@code deltasync-jms-load} and
 * {@code deltasync-file-load} routes): each call seals a {@link VerifyRequest} as a {@link
 * Envelope.Type#VERIFY} envelope, which the route carries as it carries the node's load requests;
 * the hub's {@code deltasync:load} (its {@code jms-serve-load} route) or {@code deltasync:inbox}
 * (its {@code file-receive} route) answers it from its database, signed. So a {@code Verifier} on
 * such a client compares with the hub, repairs and reloads tables from it as one over HTTP does.
 *
 * <p>While no such route runs every call fails with a {@link VerifyException} saying so; a refusal
 * (unknown table, no primary key, bad signature) names the status and the hub's words. Thread-safe.
 */
public final class RouteVerifyHub extends SealedVerifyHub {

  private final RouteLoadSource route;

  /**
   * @param route this node's load source for the hub, which its {@code deltasync:load} route binds
   *     itself to
   */
  public RouteVerifyHub(RouteLoadSource route) {
    super(route.nodeId(), route.clientId());
    this.route = route;
  }

  @Override
  byte[] ask(VerifyRequest request) {
    try {
      return route.verify(request);
    } catch (LoadException e) {
      throw new VerifyException(e.getMessage(), e);
    }
  }
}
