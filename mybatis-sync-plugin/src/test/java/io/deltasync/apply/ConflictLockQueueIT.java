package io.deltasync.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many clients pushing at once to a hub that checks for conflicts: their batches take the conflict
 * lock one at a time, and those waiting for it must not take the hub's whole connection pool, which
 * its other work (pulls, the console) needs meanwhile. A batch without deltas (a client's pointer
 * moving past the seqs of what it applied) checks nothing and waits for no one.
 */
class ConflictLockQueueIT {

  private static final int CLIENTS = 8;
  private static final int NOTES_EACH = 20;

  @Test
  void batchesWaitingForTheConflictLockLeaveThePoolToTheHubsOtherWork() throws Exception {
    TestDatabase hubDb = TestDatabases.postgres("lock_queue_hub");
    NotesSchema.install(hubDb);
    HikariConfig config = config(hubDb);
    config.setMaximumPoolSize(3);
    config.setConnectionTimeout(1_000); // a request without a connection for 1 s fails
    List<DeltaBatch> batches = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      TestNode client = ApplyFixture.node("client-" + c);
      long first = 1_000L * (c + 1);
      client.inTransaction(
          notes -> {
            for (long id = first; id < first + NOTES_EACH; id++) {
              notes.insert(new Note(id, "from client " + first));
            }
            return null;
          });
      batches.add(ApplyFixture.batch(client, "hub", 0));
    }
    ExecutorService pushes = Executors.newFixedThreadPool(CLIENTS);
    // a batch of another client holds the conflict lock while all of them arrive
    try (HikariDataSource pool = new HikariDataSource(config);
        Connection holder = holdingTheConflictLock(hubDb)) {
      DeltaApplier hub = hub(pool);
      List<Future<ApplyResult>> results = new ArrayList<>();
      for (DeltaBatch batch : batches) {
        results.add(pushes.submit(() -> hub.apply(batch)));
      }
      Thread.sleep(1_500); // longer than the pool's connection timeout
      // the hub's other work still gets a connection while every push waits
      try (Connection other = pool.getConnection();
          Statement select = other.createStatement()) {
        assertThat(select.execute("SELECT 1")).isTrue();
      }
      holder.commit();

      int applied = 0;
      for (Future<ApplyResult> result : results) {
        applied += result.get(60, TimeUnit.SECONDS).applied();
      }
      assertThat(applied).isEqualTo(CLIENTS * NOTES_EACH);
      assertThat(NotesSchema.count(pool, "SELECT COUNT(*) FROM note"))
          .isEqualTo(CLIENTS * NOTES_EACH);
      assertThat(NotesSchema.count(pool, "SELECT COUNT(DISTINCT delta_id) FROM ds_delta"))
          .isEqualTo(CLIENTS * NOTES_EACH);
    } finally {
      pushes.shutdownNow();
      hubDb.close();
    }
  }

  @Test
  void aBatchWithoutDeltasMovesThePointerWhileAnotherBatchHoldsTheConflictLock() throws Exception {
    TestDatabase hubDb = TestDatabases.postgres("lock_queue_empty");
    NotesSchema.install(hubDb);
    HikariConfig config = config(hubDb);
    config.setConnectionInitSql("SET lock_timeout = '3s'"); // a wait for the lock fails
    try (HikariDataSource pool = new HikariDataSource(config);
        Connection holder = holdingTheConflictLock(hubDb)) {
      DeltaApplier hub = hub(pool);

      // client-b's seqs 1 to 40 went to deltas of other nodes it applied: nothing to send
      ApplyResult result = hub.apply(new DeltaBatch("client-b", DeltaIds.next(), 0, 40, List.of()));
      holder.commit();

      assertThat(result.applied()).isZero();
      assertThat(result.lastProcessed()).isEqualTo(40);
      assertThat(
              NotesSchema.count(
                  pool,
                  "SELECT last_processed FROM ds_node_pointer"
                      + " WHERE node_id = 'hub' AND peer_id = 'client-b'"))
          .isEqualTo(40);
    } finally {
      hubDb.close();
    }
  }

  private static HikariConfig config(TestDatabase db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    config.setUsername(db.user());
    config.setPassword(db.password());
    return config;
  }

  private static DeltaApplier hub(HikariDataSource pool) {
    return new DeltaApplier(
        pool, "hub", new DeltaValidator(NameFilter.ALL), ConflictPolicies.serverWins(), null);
  }

  /** A connection whose open transaction holds the conflict lock, as another batch would. */
  private static Connection holdingTheConflictLock(TestDatabase db) throws SQLException {
    Connection holder = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    holder.setAutoCommit(false);
    try (Statement lock = holder.createStatement()) {
      lock.execute("SELECT name FROM ds_lock WHERE name = 'ds_conflict' FOR UPDATE");
    }
    return holder;
  }
}
