package io.deltasync.load;

import io.deltasync.conflict.Row;
import java.util.List;
import java.util.Set;

/**
 * The hub as a loading node sees it: it opens a snapshot of the tables and hands out their rows in
 * chunks by primary key. {@link HubSnapshots} is one in the same process; {@code HttpLoadSource}
 * (in camel-sync-routes) asks a hub over HTTP.
 */
public interface LoadSource {

  /** The hub's node id. */
  String nodeId();

  /**
   * Opens one snapshot of the hub's database for a load of these tables; those the hub does not
   * replicate are left out ({@link LoadStart#tables()} lists what is loaded).
   *
   * @param requester the loading node's id
   * @throws LoadException naming every table that has no primary key or cannot be read on the hub
   */
  LoadStart open(String requester, List<String> tables);

  /**
   * The rows of the table after the key, in key order, at most {@code limit}, read in the load's
   * snapshot.
   *
   * @param after the key texts of the last row the requester holds, null from the table's start
   * @throws LoadSessionLostException when the hub no longer holds the load's snapshot
   */
  List<Row> chunk(String requester, String loadId, String table, List<String> after, int limit);

  /**
   * Which of these keys of the table the load's snapshot holds. A node asks before it deletes the
   * rows of a chunk's key range that the chunk does not hold: where its database orders text keys
   * otherwise than the hub's, rows of the hub's other chunks fall in that range, and only rows the
   * snapshot lacks may go.
   *
   * @param keys key texts, as {@link #chunk} takes them
   * @throws LoadSessionLostException when the hub no longer holds the load's snapshot
   */
  default Set<List<String>> held(
      String requester, String loadId, String table, List<List<String>> keys) {
    throw new LoadException(
        "hub " + nodeId() + " cannot tell which rows of " + table + " its snapshot holds");
  }

  /** Ends the load's snapshot on the hub; nothing happens when it is already gone. */
  void close(String requester, String loadId);

  /**
   * Hands the hub one chunk of the requester's own rows for a reverse load (a client that held rows
   * before it joined). The hub checks the table and columns against what it replicates, and applies
   * the chunk in one transaction (see {@link HubSnapshots#reverse}); sending a chunk again changes
   * nothing more.
   *
   * @throws LoadException when the hub refuses the table, a column or, for {@link
   *     ReverseChoice#REFUSE}, a row that differs (the message names the table and its key)
   */
  default ReverseResult reverse(String requester, ReverseChunk chunk) {
    throw new LoadException("hub " + nodeId() + " takes no reverse load from " + requester);
  }
}
