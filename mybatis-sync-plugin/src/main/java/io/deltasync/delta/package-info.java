/**
 * The delta: one executed mutation statement with its typed parameters, and its wire encoding.
 *
 * <p>Values here are immutable records, safe to share between threads. {@link
 * io.deltasync.delta.DeltaCodec} is the one encoding used on the wire and in storage.
 */
package io.deltasync.delta;
