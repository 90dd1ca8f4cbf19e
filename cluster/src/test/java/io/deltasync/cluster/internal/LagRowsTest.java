package io.deltasync.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.cluster.PeerLag;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.NodePointers;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LagRowsTest {

  @Test
  void countsTheDeltasAfterLastPushedMeantForThePeerAndHowLongTheOldestWaited() {
    TestNode a = TestNode.start("node-a", TestDatabases.h2("lag-a"));
    TestNode b = TestNode.start("node-b", TestDatabases.h2("lag-b"));
    for (long id = 1; id <= 10; id++) {
      long noteId = id;
      a.inTransaction(notes -> notes.insert(new Note(noteId, "note " + noteId)));
    }
    b.inTransaction(notes -> notes.insert(new Note(100, "from b")));
    a.node().pull(b.node()); // seq 11 on node-a came from node-b
    a.db().execute("UPDATE ds_delta SET stored_at = TIMESTAMP '2026-05-01 09:58:20' WHERE seq = 5");
    LagRows lag = new LagRows(a.db().dataSource());
    Instant now = java.sql.Timestamp.valueOf("2026-05-01 10:00:00").toInstant();

    assertThat(lag.lag(new NodePointers("node-a", "node-b", 4, 0), now))
        .as("seqs 5 to 10; not 11, which node-b sent")
        .isEqualTo(new PeerLag("node-a", "node-b", 6, 100));
    assertThat(lag.lag(new NodePointers("node-a", "hub", 10, 0), now))
        .as("seq 11 is meant for the hub")
        .extracting(PeerLag::deltasBehind)
        .isEqualTo(1L);
    assertThat(lag.lag(new NodePointers("node-a", "node-b", 11, 0), now))
        .isEqualTo(new PeerLag("node-a", "node-b", 0, 0));
  }
}
