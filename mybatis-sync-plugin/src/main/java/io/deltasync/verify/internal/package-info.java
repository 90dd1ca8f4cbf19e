/**
 * How verify reads and writes tables: key ranges by keyset paging, the canonical row text and its
 * hash, and the repair of one range in one transaction. Not for applications: use {@code
 * io.deltasync.verify}.
 */
package io.deltasync.verify.internal;
