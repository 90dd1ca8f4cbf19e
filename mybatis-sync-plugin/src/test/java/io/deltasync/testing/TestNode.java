package io.deltasync.testing;

import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.delta.HybridClock;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.store.JdbcDeltaStore;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * One node of the test application: a database with the schema, MyBatis with the DeltaSync plugin,
 * and the node facade.
 *
 * @param db the node's database
 * @param sessions MyBatis with the DeltaSync interceptor
 * @param node the node facade over the same database
 */
public record TestNode(TestDatabase db, SqlSessionFactory sessions, SyncNode node) {

  /** A node recording every mutation. */
  public static TestNode start(String nodeId, TestDatabase db) {
    return start(db, CaptureSettings.recordAll(nodeId));
  }

  /** A node with the given capture settings. */
  public static TestNode start(TestDatabase db, CaptureSettings settings) {
    return start(db, settings, HybridClock.forNode(settings.nodeId()));
  }

  /** A node with the given capture settings whose capture and applier share the given clock. */
  public static TestNode start(TestDatabase db, CaptureSettings settings, HybridClock clock) {
    NotesSchema.install(db);
    DeltaSyncInterceptor interceptor = new DeltaSyncInterceptor(settings, List.of(), clock);
    return new TestNode(
        db,
        sessionFactory(db.dataSource(), interceptor),
        new SyncNode(
            new JdbcDeltaStore(db.dataSource(), settings.nodeId()),
            applier(db, settings.nodeId(), null, clock),
            SyncNode.DEFAULT_BATCH_SIZE));
  }

  /**
   * This node as a client of the upstream: it accepts what the upstream pushes to it, other nodes'
   * deltas and row images included (a node accepts those only from its upstream).
   */
  public TestNode withUpstream(String upstream) {
    DeltaApplier applier = applier(db, node.nodeId(), upstream, node.applier().clock());
    return new TestNode(
        db, sessions, new SyncNode(node.store(), applier, SyncNode.DEFAULT_BATCH_SIZE));
  }

  /**
   * This node as the hub of hubs: it accepts from the relays (the hubs below it in a tree) the
   * deltas of their clients they pass on.
   */
  public TestNode withRelays(String... relays) {
    DeltaApplier applier = applier(db, node.nodeId(), null, Set.of(relays), node.applier().clock());
    return new TestNode(
        db, sessions, new SyncNode(node.store(), applier, SyncNode.DEFAULT_BATCH_SIZE));
  }

  /** An applier detecting conflicts in what other nodes push ({@code server-wins}). */
  private static DeltaApplier applier(
      TestDatabase db, String nodeId, String upstream, HybridClock clock) {
    return applier(db, nodeId, upstream, Set.of(), clock);
  }

  private static DeltaApplier applier(
      TestDatabase db, String nodeId, String upstream, Set<String> relays, HybridClock clock) {
    return new DeltaApplier(
        db.dataSource(),
        nodeId,
        new DeltaValidator(NameFilter.ALL),
        upstream == null ? ConflictPolicies.serverWins() : null,
        upstream,
        relays,
        DeltaApplier.DEFAULT_STATEMENT_TIMEOUT,
        clock);
  }

  /** MyBatis over a data source with the test mapper and the given interceptor. */
  public static SqlSessionFactory sessionFactory(
      DataSource dataSource, DeltaSyncInterceptor interceptor) {
    Configuration configuration =
        new Configuration(new Environment("test", new JdbcTransactionFactory(), dataSource));
    configuration.addMapper(NoteMapper.class);
    configuration.addInterceptor(interceptor);
    return new SqlSessionFactoryBuilder().build(configuration);
  }

  /** Runs work in one committed transaction of the given executor type. */
  public <T> T inTransaction(ExecutorType type, Function<NoteMapper, T> work) {
    try (SqlSession session = sessions.openSession(type)) {
      T result = work.apply(session.getMapper(NoteMapper.class));
      session.commit();
      return result;
    }
  }

  /** Runs work in one committed SIMPLE transaction. */
  public <T> T inTransaction(Function<NoteMapper, T> work) {
    return inTransaction(ExecutorType.SIMPLE, work);
  }

  /** The notes, as {@link NotesSchema#notes} dumps them. */
  public List<String> notes() {
    return NotesSchema.notes(db.dataSource());
  }

  /** The seqs of the deltas this node's store holds, in order. */
  public List<Long> seqs() {
    List<Long> seqs = new java.util.ArrayList<>();
    NotesSchema.query(
        db.dataSource(), "SELECT seq FROM ds_delta ORDER BY seq", r -> seqs.add(r.getLong(1)));
    return seqs;
  }

  /** How many deltas this node's store holds. */
  public long deltaCount() {
    return NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM ds_delta");
  }
}
