/**
 * Capture: the MyBatis interceptor that records each executed INSERT, UPDATE and DELETE as a delta,
 * in the same transaction as the change, and the exclusion criteria that keep mutations out.
 *
 * <p>Add {@link io.deltasync.capture.DeltaSyncInterceptor} to MyBatis; use {@link
 * io.deltasync.capture.SyncContext} to suppress capture for a block of code and {@link
 * io.deltasync.capture.DeltaFilter} for custom predicates.
 */
package io.deltasync.capture;
