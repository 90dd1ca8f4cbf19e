/**
 * Verify and repair: prove that a node's replicated tables equal its hub's, and make them equal
 * when they are not.
 *
 * <p>A {@link io.deltasync.verify.Verifier} cuts a table into key ranges of at most a chunk of rows
 * (keyset paging by primary key, never OFFSET), hashes the canonical text of every column of every
 * row of each range (the same text on H2, PostgreSQL and MariaDB), and asks the hub, through a
 * {@link io.deltasync.verify.VerifyHub}, for the hashes of the same ranges. Ranges that differ
 * twice, each time after the node caught up with everything the hub held, are drilled down to rows:
 * changed, missing on the node, extra on the node. Repair writes the hub's rows on the node with
 * plain JDBC, one transaction per range, so nothing is captured and nothing is echoed. Reloading a
 * table walks the hub's table page by page instead and repairs each page's range the same way, so a
 * node that lost most of a table gets it back without counting any delta twice.
 */
package io.deltasync.verify;
