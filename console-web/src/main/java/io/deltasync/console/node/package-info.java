/**
 * The Nodes page, the console's home: every node the cluster knows with its status, every pointer
 * with its lag (deltas, age of the oldest pending one) and a chart of it over the last minutes, and
 * the node actions: re-send to a peer from a seq, pause or resume shipping to a peer, and reload a
 * peer from this node (or this node from its hub), with where each reload stands; on a client of a
 * hub, also one table of this node from its hub, in the background ({@link
 * io.deltasync.console.node.TableReloads}); on a hub, ask a peer to reload one table from it, with
 * the requests still due or failed shown per peer and withdrawable ({@link
 * io.deltasync.console.node.PeerTableReloads}).
 */
package io.deltasync.console.node;
