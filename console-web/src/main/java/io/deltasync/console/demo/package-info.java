/**
 * The demo that {@code ./run-demo.sh} starts: a hub running the console and two client nodes in one
 * JVM on embedded H2, syncing over HTTP, with a generator editing to-dos and notes on both clients.
 * Not part of the console application (its component scan leaves this package out).
 */
package io.deltasync.console.demo;
