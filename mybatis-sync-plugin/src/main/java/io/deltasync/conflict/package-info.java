/**
 * Conflicts at a hub: detection with each delta's {@code basis}, resolution by per-table policy or
 * a {@link io.deltasync.conflict.ConflictResolver}, row images that make every node converge, and
 * the {@link io.deltasync.conflict.Conflicts} API over {@code ds_conflict}.
 *
 * <p>An incoming delta D from origin A on a row conflicts when the hub holds a delta on the same
 * row from another origin with a hub seq above D's basis: A had not seen it when it wrote D.
 * Statements that do not pin one row are compared per table.
 */
package io.deltasync.conflict;
