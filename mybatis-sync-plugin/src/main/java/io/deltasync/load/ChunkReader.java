package io.deltasync.load;

import io.deltasync.conflict.Row;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A table's chunks read from the hub one ahead: while the node applies a chunk, the hub reads and
 * sends the next, so that the two sides work at the same time instead of in turn. The reads
 * themselves stay one at a time, in key order, each after the last key of the one before; at most
 * two chunks are held. Not thread-safe.
 */
final class ChunkReader implements AutoCloseable {

  private final LoadSource hub;
  private final String requester;
  private final String loadId;
  private final String table;
  private final int limit;
  private final Function<Row, List<String>> keyOf;
  private final ExecutorService reader;
  private Future<List<Row>> ahead;

  /**
   * Starts reading the chunk after {@code after} (null: from the table's start).
   *
   * @param keyOf the key texts of a row, as {@link LoadSource#chunk} takes them
   */
  ChunkReader(
      LoadSource hub,
      String requester,
      String loadId,
      String table,
      int limit,
      Function<Row, List<String>> keyOf,
      List<String> after) {
    this.hub = hub;
    this.requester = requester;
    this.loadId = loadId;
    this.table = table;
    this.limit = limit;
    this.keyOf = keyOf;
    this.reader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "deltasync-load-" + requester);
              thread.setDaemon(true);
              return thread;
            });
    this.ahead = read(after);
  }

  /**
   * The next chunk, waiting for it if it is still on its way; a full chunk starts the read of the
   * one after it. A chunk shorter than the limit is the table's last: call no more.
   */
  List<Row> next() {
    if (ahead == null) {
      throw new IllegalStateException("the chunks of " + table + " were all read");
    }
    List<Row> chunk = await(ahead);
    ahead = chunk.size() < limit ? null : read(keyOf.apply(chunk.get(chunk.size() - 1)));
    return chunk;
  }

  /**
   * Which of these keys the load's snapshot holds in the table (see {@link LoadSource#held}), asked
   * a chunk's worth of keys at a time.
   */
  Set<List<String>> held(List<List<String>> keys) {
    Set<List<String>> held = new HashSet<>();
    for (int from = 0; from < keys.size(); from += limit) {
      held.addAll(
          hub.held(
              requester, loadId, table, keys.subList(from, Math.min(keys.size(), from + limit))));
    }
    return held;
  }

  private Future<List<Row>> read(List<String> after) {
    return reader.submit(() -> hub.chunk(requester, loadId, table, after, limit));
  }

  private List<Row> await(Future<List<Row>> chunk) {
    try {
      return chunk.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadException(
          requester + " was interrupted while waiting for a chunk of " + table + "; it resumes", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new LoadException(
          "could not read a chunk of " + table + " from " + hub.nodeId() + ": " + e.getCause(),
          e.getCause());
    }
  }

  /**
   * Stops reading ahead; a read in progress ends on its own and is dropped (not interrupted: an
   * interrupt inside a JDBC call can break the connection the hub's snapshot reads on).
   */
  @Override
  public void close() {
    reader.shutdown();
  }
}
