/**
 * Shipping deltas between nodes with Apache Camel: the {@code deltasync:} component (outbox, pull,
 * inbox, feed, verify, load), the signed envelope they exchange, and the limits a receiver
 * enforces; and {@link io.deltasync.ship.HttpVerifyHub} and {@link
 * io.deltasync.ship.HttpLoadSource}, a hub's verify and initial-load endpoints as a client calls
 * them.
 *
 * <p>Routes are written in YAML; the route templates under {@code classpath:deltasync/templates/}
 * make each transport a few lines (see the README).
 */
package io.deltasync.ship;
