/**
 * The Audit page: every admin action the console performed (who, when, what, on which node, peer
 * and range, how many rows, the outcome), stored in {@code ds_audit}, which the console only ever
 * appends to and reads.
 */
package io.deltasync.console.audit;
