/**
 * Shipping deltas between nodes with Apache Camel: the {@code deltasync:} component (outbox, pull,
 * inbox, feed, verify, load), the signed envelope they exchange, and the limits a receiver
 * enforces; {@link io.deltasync.ship.HttpVerifyHub} and {@link io.deltasync.ship.HttpLoadSource}, a
 * hub's verify and initial-load endpoints as a client calls them; and {@link
 * io.deltasync.ship.PullAbort}, which lets a stopping pull consumer abort the pull its peer holds.
 *
 * <p>Routes are written in YAML; the route templates under {@code classpath:deltasync/templates/}
 * make each transport a few lines (see the README).
 */
package io.deltasync.ship;
