/**
 * Implementation details of apply: binding recorded parameters, running consecutive deltas of one
 * SQL text as JDBC batches, dead-letter rows, and how an operator's retry runs. Not API.
 */
package io.deltasync.apply.internal;
