/**
 * Initial load: a node that joins a hub which already holds data copies a snapshot of every table
 * it replicates from the hub, then continues with the hub's deltas after the snapshot's position.
 *
 * <p>The hub ({@link io.deltasync.load.HubSnapshots}) reads every chunk of a load in one database
 * snapshot together with its position P, the highest seq that snapshot sees; since seq is commit
 * order, the snapshot holds exactly the deltas up to P. The receiver ({@link
 * io.deltasync.load.Loader}) applies the snapshot chunk by chunk (keyset by primary key), each
 * chunk in one transaction with its progress in {@code ds_load}, so a crash resumes from the last
 * applied chunk; with the last chunk its pointer for the hub becomes P, and the pull takes every
 * delta after P once. A node that already holds rows first sends them to its hub (a reverse load:
 * {@link io.deltasync.load.ReverseChoices}, per table client-wins, hub-wins or refuse); the hub
 * takes only tables and columns it replicates and captures what it writes as row images, so the
 * rows reach every node. Where a load stands (tables and rows done of the hub's counts, rate, time
 * left, a reload due or held) is read from the node's database alone by {@link
 * io.deltasync.load.LoadProgressReader}. An operator has a hub reload one of its peers with {@link
 * io.deltasync.load.HubReloads} (a preview of the hub's rows per table, then a note that refuses
 * the peer's pulls until it has reloaded), and a client reload from its hub with {@link
 * io.deltasync.load.Loader#reload()}. See "Initial load (design)" and "Reverse load (design)" in
 * the module's README.
 */
package io.deltasync.load;
