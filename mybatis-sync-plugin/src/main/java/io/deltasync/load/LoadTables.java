package io.deltasync.load;

import io.deltasync.load.internal.LoadRows.Progress;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.verify.internal.RowText;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link Loader}'s load, once it knows its snapshot: loads each table not done yet,
 * chunk by chunk through {@link ChunkReader} and {@link ChunkWriter}, logs a line per table with
 * the load's progress, and at the end closes the snapshot on the hub and logs the total. Not
 * thread-safe: one per run.
 */
final class LoadTables {

  // the lines of a load are the Loader's, wherever in it they are written
  private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

  private final String nodeId;
  private final LoadSource hub;
  private final int chunkRows;
  private final ChunkWriter writer;
  private final LoadProgressReader progressReader;
  private final BooleanSupplier proceed;

  LoadTables(
      String nodeId,
      LoadSource hub,
      int chunkRows,
      ChunkWriter writer,
      LoadProgressReader progressReader,
      BooleanSupplier proceed) {
    this.nodeId = nodeId;
    this.hub = hub;
    this.chunkRows = chunkRows;
    this.writer = writer;
    this.progressReader = progressReader;
    this.proceed = proceed;
  }

  /** Closes the load's snapshot on the hub (a failure only logged) and logs what was loaded. */
  LoadReport report(LoadStart start, Map<String, Long> written, boolean restarted, long started) {
    try {
      hub.close(nodeId, start.loadId());
    } catch (RuntimeException e) {
      LOG.debug("could not close load {} on {}", start.loadId(), hub.nodeId(), e);
    }
    LoadReport report =
        new LoadReport(
            hub.nodeId(),
            start.loadId(),
            start.snapshotSeq(),
            written,
            restarted,
            System.currentTimeMillis() - started);
    LOG.info(
        "{} loaded {} rows of {} tables from {} in {} ms; pulling its deltas after seq {}",
        nodeId,
        report.totalRows(),
        written.size(),
        hub.nodeId(),
        report.millis(),
        start.snapshotSeq());
    return report;
  }

  /**
   * Loads each table of {@code progress} that is not done, adding the rows written to {@code
   * written}; the last chunk of the last table sets the pointer for the hub.
   */
  void load(
      Connection connection,
      Map<String, TableShape> shapes,
      List<Progress> progress,
      Map<String, Long> written)
      throws SQLException {
    PointerRows.ensure(connection, nodeId, hub.nodeId());
    long[] remaining = {progress.stream().filter(table -> !table.done()).count()};
    for (Progress table : progress) {
      if (table.done()) {
        continue;
      }
      TableShape shape = shapes.get(table.table());
      if (shape == null) {
        throw new LoadException(
            "load "
                + table.start().loadId()
                + " from "
                + hub.nodeId()
                + " includes table "
                + table.table()
                + ", which "
                + nodeId
                + " no longer replicates; delete its ds_load rows to start over");
      }
      long rows;
      long tableStarted = System.nanoTime();
      try (ChunkReader chunks =
          new ChunkReader(
              hub,
              nodeId,
              table.start().loadId(),
              table.table(),
              chunkRows,
              row -> RowText.key(row, shape.keyColumns()),
              table.lastKey())) {
        rows = writer.write(connection, shape, table, chunks, remaining[0] == 1, written, proceed);
      }
      remaining[0]--;
      double seconds = Math.max(1e-3, (System.nanoTime() - tableStarted) / 1e9);
      LoadProgress all = progressReader.read(hub.nodeId()).orElse(null);
      LOG.info(
          "{}: loaded table {} from {}: {} rows, {} rows/s; {} tables to go; {}",
          nodeId,
          table.table(),
          hub.nodeId(),
          rows,
          Math.round(written.getOrDefault(table.table(), 0L) / seconds),
          remaining[0],
          all == null ? "" : all.summary());
    }
  }
}
