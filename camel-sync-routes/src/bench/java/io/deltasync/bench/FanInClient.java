package io.deltasync.bench;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.HttpPeer;
import io.deltasync.testing.TestNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One of many clients of table 4: its own in-memory H2 database, a capturing MyBatis writer, and
 * its own identity and secret; it pushes its pending deltas to the hub's real HTTP endpoint as
 * signed envelopes ({@link HttpPeer}), batch after batch, as its push route would, and times each
 * POST.
 */
final class FanInClient {

  private final String id;
  private final TestNode writer;
  private final HttpPeer hub;

  private FanInClient(String id, TestNode writer, HttpPeer hub) {
    this.id = id;
    this.writer = writer;
    this.hub = hub;
  }

  /**
   * A client whose database is a copy of {@code template} (an H2 script of the DeltaSync and
   * application tables, which is faster than running the changelog fifty times).
   */
  static FanInClient start(String id, Path template, String hubUrl, String secret) {
    TestDatabase db = TestDatabases.h2("fanin_" + id.replace('-', '_'));
    db.execute("RUNSCRIPT FROM '" + template + "'");
    CaptureSettings capture =
        new CaptureSettings(id, "hub", NameFilter.ALL, NameFilter.ALL, Set.of());
    TestNode writer =
        new TestNode(
            db,
            TestNode.sessionFactory(db.dataSource(), new DeltaSyncInterceptor(capture, List.of())),
            new SyncNode(id, db.dataSource(), NameFilter.ALL));
    return new FanInClient(id, writer, new HttpPeer("hub", hubUrl, id, secret));
  }

  String id() {
    return id;
  }

  /** Commits rows {@code first .. first + rows - 1}, ten to a transaction (untimed). */
  void write(long first, int rows) {
    for (int done = 0; done < rows; done += 10) {
      Notes.insert(writer, first + done, Math.min(10, rows - done));
    }
  }

  /**
   * Pushes every pending delta in batches of at most {@code batchSize}, moving the pointer after
   * each acknowledgement; returns each POST's round trip in milliseconds.
   */
  List<Double> pushAll(int batchSize) {
    SyncNode node = writer.node();
    List<Double> roundTrips = new ArrayList<>();
    while (true) {
      Optional<DeltaBatch> next = node.nextBatchFor("hub", batchSize);
      if (next.isEmpty()) {
        return roundTrips;
      }
      long start = System.nanoTime();
      hub.receive(next.get());
      roundTrips.add((System.nanoTime() - start) / 1e6);
      node.store().markPushed("hub", next.get().upToSeq());
    }
  }
}
