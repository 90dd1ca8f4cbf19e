/**
 * The Conflicts page: the conflicts this hub recorded, open and resolved, filtered by status, table
 * and policy; each one side by side (the hub's row, the incoming row, the hub deltas the origin
 * missed, differing columns marked) with its policy and outcome; and, for open ones, the admin's
 * resolve actions through {@code Conflicts.resolve}.
 */
package io.deltasync.console.conflict;
