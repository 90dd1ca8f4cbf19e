package io.deltasync.load;

import io.deltasync.conflict.Row;
import java.util.List;
import java.util.Set;

/** A hub that passes every call on to another: tests override a call to make it fail. */
class ForwardingLoadSource implements LoadSource {

  private final LoadSource hub;

  ForwardingLoadSource(LoadSource hub) {
    this.hub = hub;
  }

  @Override
  public String nodeId() {
    return hub.nodeId();
  }

  @Override
  public LoadStart open(String requester, List<String> tables) {
    return hub.open(requester, tables);
  }

  @Override
  public List<Row> chunk(
      String requester, String loadId, String table, List<String> after, int limit) {
    return hub.chunk(requester, loadId, table, after, limit);
  }

  @Override
  public Set<List<String>> held(
      String requester, String loadId, String table, List<List<String>> keys) {
    return hub.held(requester, loadId, table, keys);
  }

  @Override
  public void close(String requester, String loadId) {
    hub.close(requester, loadId);
  }

  @Override
  public ReverseResult reverse(String requester, ReverseChunk chunk) {
    return hub.reverse(requester, chunk);
  }
}
