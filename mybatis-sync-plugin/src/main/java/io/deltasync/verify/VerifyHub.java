package io.deltasync.verify;

import java.util.List;

/**
 * The hub as a verifying node sees it: it measures the node's key ranges on its own database and
 * hands out its rows. {@link HubVerifier} is one in the same process; {@code HttpVerifyHub} (in
 * camel-sync-routes) asks a hub over HTTP.
 *
 * <p>Both methods refuse, with a {@link VerifyException}, a table the hub does not replicate or one
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
}
