/**
 * The Deltas page: this node's stored deltas, filtered by the peer they are pending for, origin,
 * table, kind, statement id and capture time, keyset-paged on seq either way; and each delta
 * decoded (SQL, typed parameters, origin, seq, transaction, basis, capture time, row key, and the
 * peers it is still pending for).
 */
package io.deltasync.console.delta;
