/**
 * The Nodes page, the console's home: every node the cluster knows with its status, every pointer
 * with its lag (deltas, age of the oldest pending one) and a chart of it over the last minutes, and
 * the node actions: re-send to a peer from a seq, and pause or resume shipping to a peer.
 */
package io.deltasync.console.node;
