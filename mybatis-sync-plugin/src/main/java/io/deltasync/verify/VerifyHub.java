package io.deltasync.verify;

import java.util.List;
import java.util.Set;

/**
 * The hub as a verifying node sees it: it measures the node's key ranges on its own database and
 * hands out its rows, by range or, for a table reload, page by page, and says which keys it holds.
 * {@link HubVerifier} is one in the same process; {@code HttpVerifyHub} (in camel-sync-routes) asks
 * a hub over HTTP.
 *
 * <p>Every read refuses, with a {@link VerifyException}, a table the hub does not replicate or one
 * without a primary key.
 */
public interface VerifyHub {

  /** The hub's node id. */
  String nodeId();

  /**
   * The hub's checksums of the given ranges (only their bounds are read), in one snapshot.
   *
   * @param requester the verifying node's id
   */
  HubChecksums checksums(String requester, String table, List<KeyRange> ranges);

  /**
   * The hub's rows in one range, in one snapshot.
   *
   * @param requester the verifying node's id
   * @throws VerifyException when the range holds more than {@link HubVerifier#MAX_RANGE_ROWS}
   */
  HubRows rows(String requester, String table, KeyRange range);

  /**
   * The hub's first rows after a key, in key order, in one snapshot: one page of a table reload
   * (keyset paging, never OFFSET). Fewer than {@code limit} rows means the table ends there.
   *
   * @param requester the reloading node's id
   * @param after the key texts of the row before the page, in primary-key column order; null from
   *     the table's first row
   * @param limit the most rows, 1 to {@link HubVerifier#MAX_RANGE_ROWS}
   */
  HubRows page(String requester, String table, List<String> after, int limit);

  /**
   * Which of the keys the hub's table holds, in one snapshot. A node asks before it deletes rows of
   * a range that the hub's rows of the range lack: the range is the node's, and where its database
   * orders text keys otherwise than the hub's (MariaDB's case-insensitive collations against
   * PostgreSQL's or H2's, say), rows of the hub's other ranges fall in it.
   *
   * @param requester the verifying node's id
   * @param keys the key texts, in primary-key column order; 1 to {@link HubVerifier#MAX_KEYS}
   */
  Set<List<String>> held(String requester, String table, List<List<String>> keys);
}
