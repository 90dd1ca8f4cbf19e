/**
 * Implementation details of conflict resolution: reading and writing row images with each
 * database's own SQL. Not API.
 */
package io.deltasync.conflict.internal;
