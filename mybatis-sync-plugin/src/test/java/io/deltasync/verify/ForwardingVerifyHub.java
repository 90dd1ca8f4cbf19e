package io.deltasync.verify;

import java.util.List;
import java.util.Set;

/** A hub that hands every call to another one: tests override the call they watch. */
abstract class ForwardingVerifyHub implements VerifyHub {

  private final VerifyHub hub;

  ForwardingVerifyHub(VerifyHub hub) {
    this.hub = hub;
  }

  @Override
  public String nodeId() {
    return hub.nodeId();
  }

  @Override
  public HubChecksums checksums(String requester, String table, List<KeyRange> ranges) {
    return hub.checksums(requester, table, ranges);
  }

  @Override
  public HubRows rows(String requester, String table, KeyRange range) {
    return hub.rows(requester, table, range);
  }

  @Override
  public HubRows page(String requester, String table, List<String> after, int limit) {
    return hub.page(requester, table, after, limit);
  }

  @Override
  public Set<List<String>> held(String requester, String table, List<List<String>> keys) {
    return hub.held(requester, table, keys);
  }
}
