/**
 * The Dead letters page: each delta this node quarantined (invalid, never executed) or failed to
 * apply, with its reason and sender; and the admin's retry (apply again) and skip (mark handled so
 * the stream goes on) of one or many, through the engine's {@code DeadLetters}.
 */
package io.deltasync.console.deadletter;
