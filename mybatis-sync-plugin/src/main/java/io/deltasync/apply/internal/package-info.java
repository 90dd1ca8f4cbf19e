/**
 * Implementation details of apply: binding recorded parameters, dead-letter rows, and how an
 * operator's retry runs. Not API.
 */
package io.deltasync.apply.internal;
