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
 *
 * <p>A chunk's rows are sized by bytes, up to the configured rows: the first chunk of a table holds
 * at most {@link #FIRST_ROWS} rows, and each later one as many rows as {@link #CHUNK_BYTES} hold at
 * the size of the rows before it. Narrow rows travel in large chunks (fewer round trips and
 * commits), and wide ones in small chunks that stay far below the envelope's limits and the heap.
 */
final class ChunkReader implements AutoCloseable {

  /** What a chunk's rows should amount to, roughly as the hub sends them. */
  static final long CHUNK_BYTES = 4L << 20;

  /** The rows of a table's first chunk, before the size of its rows is known. */
  static final int FIRST_ROWS = 100;

  /** Rows of a chunk measured for its size, evenly spaced through it. */
  private static final int MEASURED_ROWS = 64;

  /** One chunk of rows, and whether it is the table's last. */
  record Chunk(List<Row> rows, boolean last) {}

  private final LoadSource hub;
  private final String requester;
  private final String loadId;
  private final String table;
  private final int maxRows;
  private final Function<Row, List<String>> keyOf;
  private final ExecutorService reader;
  private Future<List<Row>> ahead;
  private int aheadLimit;
  private List<String> aheadAfter;

  /**
   * Starts reading the chunk after {@code after} (null: from the table's start).
   *
   * @param maxRows the most rows of a chunk
   * @param keyOf the key texts of a row, as {@link LoadSource#chunk} takes them
   */
  ChunkReader(
      LoadSource hub,
      String requester,
      String loadId,
      String table,
      int maxRows,
      Function<Row, List<String>> keyOf,
      List<String> after) {
    this.hub = hub;
    this.requester = requester;
    this.loadId = loadId;
    this.table = table;
    this.maxRows = maxRows;
    this.keyOf = keyOf;
    this.reader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "deltasync-load-" + requester);
              thread.setDaemon(true);
              return thread;
            });
    this.ahead = read(after, Math.min(FIRST_ROWS, maxRows));
  }

  /**
   * The next chunk, waiting for it if it is still on its way; one that is not the table's last
   * starts the read of the one after it. After the last, call no more.
   */
  Chunk next() {
    if (ahead == null) {
      throw new IllegalStateException("the chunks of " + table + " were all read");
    }
    List<Row> rows = await(ahead, aheadAfter);
    boolean last = rows.size() < aheadLimit; // the hub ran out of rows before the limit
    ahead = last ? null : read(keyOf.apply(rows.get(rows.size() - 1)), limit(rows, maxRows));
    return new Chunk(rows, last);
  }

  /**
   * The rows of the next chunk: as many as {@link #CHUNK_BYTES} hold at the size of these rows, 1
   * to {@code maxRows}.
   */
  static int limit(List<Row> rows, int maxRows) {
    long bytes = 0;
    int measured = 0;
    int step = Math.max(1, rows.size() / MEASURED_ROWS);
    for (int i = 0; i < rows.size(); i += step) {
      bytes += RowSize.of(rows.get(i));
      measured++;
    }
    if (measured == 0) {
      return maxRows;
    }
    long perRow = Math.max(1, bytes / measured);
    return (int) Math.max(1, Math.min(maxRows, CHUNK_BYTES / perRow));
  }

  /**
   * Which of these keys the load's snapshot holds in the table (see {@link LoadSource#held}), asked
   * a chunk's worth of keys at a time.
   */
  Set<List<String>> held(List<List<String>> keys) {
    Set<List<String>> held = new HashSet<>();
    for (int from = 0; from < keys.size(); from += maxRows) {
      held.addAll(
          hub.held(
              requester, loadId, table, keys.subList(from, Math.min(keys.size(), from + maxRows))));
    }
    return held;
  }

  private Future<List<Row>> read(List<String> after, int limit) {
    aheadLimit = limit;
    aheadAfter = after;
    return reader.submit(() -> hub.chunk(requester, loadId, table, after, limit));
  }

  private List<Row> await(Future<List<Row>> chunk, List<String> after) {
    try {
      return chunk.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadException(
          requester + " was interrupted while waiting for a chunk of " + table + "; it resumes", e);
    } catch (ExecutionException e) {
      if (e.getCause().getClass() == LoadException.class) { // not a subclass: callers tell them
        throw new LoadException(
            "could not read a chunk of "
                + table
                + " from "
                + hub.nodeId()
                + " after "
                + (after == null ? "the start of the table" : "key " + after)
                + ": "
                + e.getCause().getMessage(),
            e.getCause());
      }
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
