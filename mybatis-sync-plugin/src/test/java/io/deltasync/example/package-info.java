/** A runnable example: a change on node A appears on node B. */
package io.deltasync.example;
