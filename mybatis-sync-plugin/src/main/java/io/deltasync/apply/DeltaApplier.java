package io.deltasync.apply;

import io.deltasync.apply.internal.DeadLetterRows;
import io.deltasync.apply.internal.SenderChecks;
import io.deltasync.apply.internal.SenderStream;
import io.deltasync.apply.internal.StatementRuns;
import io.deltasync.apply.internal.StatementTimeouts;
import io.deltasync.capture.internal.StatementCaches;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.conflict.internal.ConflictEngine;
import io.deltasync.conflict.internal.ConflictRows;
import io.deltasync.conflict.internal.Dialect;
import io.deltasync.conflict.internal.RowImages;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.HybridClock;
import io.deltasync.delta.Kind;
import io.deltasync.delta.internal.LogText;
import io.deltasync.delta.internal.SqlShapes;
import io.deltasync.store.DeltaSignal;
import io.deltasync.store.Rebase;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.store.internal.ReloadRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies batches of other nodes' deltas to this node's database, exactly once, in order.
 *
 * <p>A batch applies in one transaction: its deltas execute in the sender's seq order, are stored
 * in {@code ds_delta} (so this node can pass them on and recognise them again), and the {@code
 * lastProcessed} pointer for the sender moves to the batch's {@code upToSeq}; a failure leaves none
 * of it. Deltas already stored, at or below the pointer, or originated by this node are skipped.
 * Deltas that fail {@link DeltaValidator} are recorded in {@code ds_dead_letter} and never
 * executed. The applier runs plain JDBC on its own connections, so what it applies is never
 * captured again. Batches from one sender are serialised by a lock on the pointer row. A batch that
 * starts after a seq the receiver has not reached is refused with {@link OutOfOrderBatchException},
 * so a lost batch is never skipped over. When the sender's seqs went back (a new incarnation below
 * the pointer, or a processed seq sent with another delta id: its database lost its latest commits
 * or was restored), the pointer for that sender first moves back, a {@link
 * io.deltasync.store.Rebase}, recorded and logged once; deltas below it are still skipped by id.
 *
 * <p>Given {@link ConflictPolicies}, the applier is a hub for every sender but its upstream: a
 * delta that a sender originated is first checked for a conflict with what the hub holds (see
 * {@code io.deltasync.conflict}); a conflicting delta is resolved or parked in {@code ds_conflict}
 * instead of applied as it came, and the row images that follow are stored in the same transaction.
 * Row-image deltas from a hub apply as upserts.
 *
 * <p>Consecutive deltas with the same SQL text execute as one JDBC batch (a run), so a batch of
 * similar deltas costs a few round trips instead of one per delta; a conflict decision, an upsert
 * or the row images first execute the run before them, so each sees the rows as the deltas before
 * it left them. When a run fails, the batch is rolled back and applied again delta by delta: the
 * delta that fails is the one dead-lettered, exactly as without runs. A batch whose run failed thus
 * runs twice, each time under the statement timeout.
 *
 * <p>Each delta applied moves the node's {@link HybridClock} past its {@code capturedAt} before the
 * batch commits, so what this node captures afterwards orders after it under {@code
 * last-writer-wins}, even when this node's wall clock is behind the origin's; a {@code capturedAt}
 * more than the clock's maximum drift ahead of this node's wall clock moves it only that far, and
 * is logged. Thread-safe.
 */
public final class DeltaApplier {

  private static final Logger LOG = LoggerFactory.getLogger(DeltaApplier.class);

  /** The key of {@link #errorRef(String)}: random, this process's only. */
  private static final byte[] REF_KEY = randomKey();

  /** How long a batch may run unless told otherwise: each statement, and the batch as a whole. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  /** The failure lines this applier logged, the last thousand, oldest first. */
  private final Map<String, Boolean> loggedFailures =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > 1_000;
        }
      };

  private final DataSource dataSource;
  private final String nodeId;
  private final DeltaValidator validator;
  private final ConflictEngine conflicts;
  private final ConflictPolicies policies;
  private final String upstream;
  private final Set<String> relays;
  private final Duration statementTimeout;
  private final SenderChecks senders;
  private final HybridClock clock;
  private final SqlShapes shapes = new SqlShapes();
  private final DeltaSignal signal;

  /**
   * Batches checked for conflicts that may hold or wait for a connection at once in this process:
   * the one applying under the conflict lock and the next, ready when it commits.
   */
  static final int CONFLICT_LOCK_QUEUE = 2;

  private final Semaphore lockQueue = new Semaphore(CONFLICT_LOCK_QUEUE, true);

  /** An applier that does not look for conflicts (a client, or nodes without a hub). */
  public DeltaApplier(DataSource dataSource, String nodeId, DeltaValidator validator) {
    this(dataSource, nodeId, validator, null, null);
  }

  /**
   * An applier that detects and resolves conflicts in what senders other than its upstream send.
   *
   * @param policies how conflicts are decided per table; null to detect none
   * @param upstream this node's own hub, whose deltas are never checked; null when it has none
   */
  public DeltaApplier(
      DataSource dataSource,
      String nodeId,
      DeltaValidator validator,
      ConflictPolicies policies,
      String upstream) {
    this(dataSource, nodeId, validator, policies, upstream, Set.of(), DEFAULT_STATEMENT_TIMEOUT);
  }

  /**
   * An applier with every setting.
   *
   * @param policies how conflicts are decided per table; null to detect none
   * @param upstream this node's own hub, whose deltas are never checked for conflicts and which may
   *     pass on other nodes' deltas and send row images; null when it has none
   * @param relays senders that, like the upstream, may pass on deltas of other origins and row
   *     images: the hubs below this one in a tree; every other sender may send only deltas it
   *     originated itself
   * @param statementTimeout how long each statement, and each batch as a whole, may run
   */
  public DeltaApplier(
      DataSource dataSource,
      String nodeId,
      DeltaValidator validator,
      ConflictPolicies policies,
      String upstream,
      Set<String> relays,
      Duration statementTimeout) {
    this(
        dataSource,
        nodeId,
        validator,
        policies,
        upstream,
        relays,
        statementTimeout,
        HybridClock.forNode(nodeId));
  }

  /**
   * An applier with every setting and the node's clock, which must be the one its capture stamps
   * deltas with (by default both use {@link HybridClock#forNode}).
   */
  public DeltaApplier(
      DataSource dataSource,
      String nodeId,
      DeltaValidator validator,
      ConflictPolicies policies,
      String upstream,
      Set<String> relays,
      Duration statementTimeout,
      HybridClock clock) {
    this.dataSource = dataSource;
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.validator = validator;
    this.clock = clock;
    this.conflicts = new ConflictEngine(nodeId, policies, clock);
    this.policies = policies;
    this.upstream = upstream == null ? null : Delta.requireNodeId(upstream, "upstream");
    this.relays = Set.copyOf(relays);
    this.relays.forEach(relay -> Delta.requireNodeId(relay, "relay"));
    if (statementTimeout == null || statementTimeout.isNegative() || statementTimeout.isZero()) {
      throw new IllegalArgumentException(
          "statementTimeout must be > 0, but was " + statementTimeout);
    }
    this.statementTimeout = statementTimeout;
    this.senders = new SenderChecks(validator, this.upstream, this.relays);
    this.signal = DeltaSignal.of(this.nodeId);
  }

  /** The database this applier writes to. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Whether this applier detects conflicts in what the sender sends. */
  public boolean detectsConflictsFrom(String sender) {
    return policies != null && !sender.equals(upstream);
  }

  /**
   * A sender's UPDATE of one row that changed no row here, where no conflict was found: this node
   * lacks a row the sender has (never loaded, deleted behind DeltaSync's back, or named by a
   * spelling the sender's database takes for it and this one does not, such as another case on
   * MariaDB). Nothing is lost here, but the two differ on that row: one line per batch says so.
   */
  private void warnOfMissingRows(DeltaBatch batch, List<Delta> changedNothing) {
    List<Delta> updates =
        changedNothing.stream()
            .filter(d -> d.kind() == Kind.UPDATE && d.rowKey() != null)
            .filter(d -> d.origin().equals(batch.sender()))
            .toList();
    if (updates.isEmpty()) {
      return;
    }
    Delta first = updates.get(0);
    boolean one = updates.size() == 1;
    LOG.warn(
        "{} of batch {} from {} changed no row on {}, which lacks the row its sender updated:"
            + " {} {} ({}, {} {}); {} and {} differ on {} until a verify and repair of {}",
        one ? "An UPDATE" : updates.size() + " UPDATEs",
        batch.batchId(),
        batch.sender(),
        nodeId,
        one ? "delta" : "first delta",
        first.id(),
        first.statementId(),
        LogText.of(first.table()),
        LogText.of(first.rowKey()),
        nodeId,
        batch.sender(),
        one ? "that row" : "those rows",
        LogText.of(first.table()));
  }

  /**
   * Whether applying the batch checks its deltas for conflicts, and so takes the conflict lock: a
   * pushed batch with deltas from a sender this applier detects conflicts from. A batch without
   * deltas only moves the sender's pointer (a client's seqs that went to the deltas it applied), so
   * it does not wait behind other clients' checks.
   */
  private boolean checksConflicts(DeltaBatch batch, boolean pulled) {
    return !pulled && !batch.deltas().isEmpty() && detectsConflictsFrom(batch.sender());
  }

  /** The policies deciding conflicts; null when this applier detects none. */
  public ConflictPolicies conflictPolicies() {
    return policies;
  }

  /** The validator deltas must pass before they run. */
  public DeltaValidator validator() {
    return validator;
  }

  /** The node this applier writes to. */
  public String nodeId() {
    return nodeId;
  }

  /** How long each statement, and each batch as a whole, may run. */
  public Duration statementTimeout() {
    return statementTimeout;
  }

  /** The node's clock, which applying advances. */
  public HybridClock clock() {
    return clock;
  }

  /**
   * Why this node must refuse the batch as its sender sent it, or empty when every delta may be
   * applied: the first delta that fails {@link DeltaValidator}, claims what its sender may not send
   * (another origin, a row image), or declares a table or row key other than its SQL's. A receiver
   * that refuses whole batches (the HTTP inbox) checks this first; {@link #apply} checks it again,
   * delta by delta, and quarantines what fails. Reads only the database's metadata.
   */
  public Optional<String> problemWith(DeltaBatch batch) {
    try (Connection connection = dataSource.getConnection()) {
      return problemWith(connection, batch);
    } catch (SQLException e) {
      throw new DeltaApplyException(
          null, "could not check batch " + batch.batchId() + ": " + e.getMessage(), e);
    }
  }

  private Optional<String> problemWith(Connection connection, DeltaBatch batch)
      throws SQLException {
    for (Delta delta : batch.deltas()) {
      if (delta.origin().equals(nodeId)) {
        continue;
      }
      Optional<String> problem = senders.problemWith(connection, delta, batch.sender(), false);
      if (problem.isPresent()) {
        return Optional.of(refusal(delta, problem.get()));
      }
    }
    return Optional.empty();
  }

  /** What a sender is told of a delta this node refuses: the delta, then why. */
  private static String refusal(Delta delta, String problem) {
    return "delta "
        + delta.id()
        + " (seq "
        + delta.seq()
        + ", "
        + delta.statementId()
        + ") "
        + problem;
  }

  /**
   * Screens a batch for a receiver that refuses whole batches (the HTTP inbox): why this node
   * refuses it, or empty when it may be applied. Deltas that {@link #apply} would skip (at or below
   * the sender's pointer, stored already, or skipped by an operator) are not checked. Each refused
   * delta is recorded in {@code ds_dead_letter} as {@code QUARANTINED}, with its reason, so that an
   * operator sees why the sender's stream waits: skipping it there lets the batch through, without
   * it, when the sender sends it again; retrying it applies it if it is valid now.
   */
  public Optional<String> screen(DeltaBatch batch) {
    String sender = batch.sender();
    try (Connection connection = dataSource.getConnection()) {
      long[] pointers = PointerRows.select(connection, nodeId, sender, false);
      SenderStream.Position position =
          SenderStream.of(connection, nodeId, batch, pointers == null ? 0 : pointers[1]);
      if (position.stale()) {
        return Optional.empty(); // apply takes nothing of it
      }
      long lastProcessed = position.lastProcessed();
      Set<String> seen =
          DeltaRows.existingIds(connection, batch.deltas().stream().map(Delta::id).toList());
      Map<Delta, String> refused = new LinkedHashMap<>();
      for (Delta delta : batch.deltas()) {
        if (delta.seq() <= lastProcessed
            || delta.origin().equals(nodeId)
            || seen.contains(delta.id())) {
          continue;
        }
        senders
            .problemWith(connection, delta, sender, false)
            .ifPresent(problem -> refused.put(delta, problem));
      }
      if (refused.isEmpty()) {
        return Optional.empty();
      }
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        for (Map.Entry<Delta, String> entry : refused.entrySet()) {
          quarantine(connection, entry.getKey(), sender, entry.getValue());
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
      Map.Entry<Delta, String> first = refused.entrySet().iterator().next();
      return Optional.of(
          refusal(first.getKey(), first.getValue())
              + (refused.size() > 1 ? " (and " + (refused.size() - 1) + " more)" : ""));
    } catch (SQLException e) {
      throw new DeltaApplyException(
          null, "could not check batch " + batch.batchId() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Why this node must not run the delta that the sender sent, or empty when it may: every check
   * {@link #apply} makes before it runs a delta, reading the database's metadata on the connection.
   */
  public Optional<String> problemWith(Connection connection, Delta delta, String sender)
      throws SQLException {
    return senders.problemWith(connection, delta, sender, false);
  }

  /**
   * The delta with its table and row key as this node derives them from its SQL (what it stores and
   * checks conflicts by); call for a delta {@link #problemWith(Connection, Delta, String)}
   * accepted.
   */
  public Delta derived(Connection connection, Delta delta) throws SQLException {
    return senders.derived(connection, delta);
  }

  /**
   * Applies a batch from its sender.
   *
   * @throws DeltaApplyException when a delta fails to execute; nothing of the batch is kept
   * @throws OutOfOrderBatchException when the batch does not continue from this node's pointer
   */
  public ApplyResult apply(DeltaBatch batch) {
    return apply(batch, false);
  }

  /**
   * Applies a batch this node fetched itself from the peer it chose to pull from: that peer serves
   * as this node's upstream for the batch, so it may pass on other nodes' deltas and row images.
   *
   * @throws DeltaApplyException when a delta fails to execute; nothing of the batch is kept
   * @throws OutOfOrderBatchException when the batch does not continue from this node's pointer
   */
  public ApplyResult applyPulled(DeltaBatch batch) {
    return apply(batch, true);
  }

  private ApplyResult apply(DeltaBatch batch, boolean pulled) {
    if (!checksConflicts(batch, pulled)) {
      return applyNow(batch, pulled);
    }
    // every such batch holds the conflict lock to its commit, one at a time: the others wait
    // here, in order, rather than each on the lock holding one of the pool's connections, which
    // the node's pulls, pushes and console need meanwhile
    try {
      lockQueue.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeltaApplyException(
          null,
          "interrupted while batch "
              + batch.batchId()
              + " from "
              + batch.sender()
              + " waited for the batches before it",
          e);
    }
    try {
      return applyNow(batch, false);
    } finally {
      lockQueue.release();
    }
  }

  private ApplyResult applyNow(DeltaBatch batch, boolean pulled) {
    String sender = batch.sender();
    try (Connection connection = dataSource.getConnection()) {
      PointerRows.ensure(connection, nodeId, sender);
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        ApplyResult result;
        try {
          result = attempt(connection, batch, pulled, true);
        } catch (RunFailed e) {
          // one of a run's deltas failed, which the run cannot name: apply the batch again
          // delta by delta, so that the one that fails is the one dead-lettered
          connection.rollback();
          LOG.debug(
              "A JDBC batch of batch {} from {} failed ({}); applying it delta by delta",
              batch.batchId(),
              sender,
              e.getMessage());
          result = oneByOne(connection, batch, pulled);
        }
        if (result.applied() > 0 || result.quarantined() > 0) {
          LOG.debug(
              "Applied batch {} from {}: {} applied, {} skipped, {} quarantined, pointer {}",
              batch.batchId(),
              sender,
              result.applied(),
              result.skipped(),
              result.quarantined(),
              result.lastProcessed());
        }
        return result;
      } catch (Failure failure) {
        connection.rollback();
        recordFailure(connection, batch, failure);
        throw failure.exception;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      String ref = errorRef();
      LOG.warn("Could not apply batch {} from {} (error {}): {}", batch.batchId(), sender, ref, e);
      throw new DeltaApplyException(
          null,
          "could not apply batch "
              + batch.batchId()
              + " from "
              + sender
              + " (error "
              + ref
              + "; the detail is in "
              + nodeId
              + "'s log)",
          e);
    }
  }

  /** Applies the batch delta by delta, where a failure always names its delta. */
  private ApplyResult oneByOne(Connection connection, DeltaBatch batch, boolean pulled)
      throws SQLException, Failure {
    try {
      return attempt(connection, batch, pulled, false);
    } catch (RunFailed e) {
      throw new IllegalStateException("a delta executed on its own failed as a run", e);
    }
  }

  /**
   * Applies the batch in one transaction under the statement timeout and commits it.
   *
   * @param batching whether consecutive deltas with the same SQL execute as one JDBC batch
   * @throws RunFailed when such a batch failed; the transaction must be rolled back
   */
  private ApplyResult attempt(
      Connection connection, DeltaBatch batch, boolean pulled, boolean batching)
      throws SQLException, Failure, RunFailed {
    List<Rebase> rebases = new ArrayList<>(1);
    ApplyResult result;
    try (StatementTimeouts limit =
        StatementTimeouts.limit(connection, Dialect.of(connection), statementTimeout)) {
      result = applyIn(connection, batch, pulled, limit.dialect(), rebases, batching);
      connection.commit();
    }
    if (!batch.deltas().isEmpty()) {
      signal.raise(); // what was stored may go on to other peers (a hub's clients)
    }
    for (Rebase rebase : rebases) {
      LOG.warn(
          "Re-based the stream of {}: lastProcessed moved back from seq {} to {}; what follows"
              + " is applied unless held by delta id. {}",
          rebase.peerId(),
          rebase.fromSeq(),
          rebase.toSeq(),
          rebase.reason());
    }
    clearCaches(batch, result, connection.getMetaData().getURL());
    return result;
  }

  /**
   * Whether this node holds deltas the sender wrote itself and then lost with its database (its
   * seqs in the re-base's range). When it holds none (only other nodes' deltas passed through the
   * sender, or batches that moved the pointer without deltas for this node), the sender lost
   * nothing this node cannot send it again, and it needs no reload.
   */
  private static boolean holdsLostWrites(Connection connection, String sender, Rebase rebase)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT 1 FROM ds_delta WHERE origin = ? AND received_from = ? AND source_seq > ?"
                + " AND source_seq <= ?")) {
      select.setMaxRows(1);
      select.setString(1, sender);
      select.setString(2, sender);
      select.setLong(3, rebase.toSeq());
      select.setLong(4, rebase.fromSeq());
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  private ApplyResult applyIn(
      Connection connection,
      DeltaBatch batch,
      boolean pulled,
      Dialect dialect,
      List<Rebase> rebases,
      boolean batching)
      throws SQLException, Failure, RunFailed {
    long deadline = System.nanoTime() + statementTimeout.toNanos();
    String sender = batch.sender();
    boolean detects = checksConflicts(batch, pulled);
    if (detects) {
      ConflictRows.lock(connection); // first: see ConflictRows.lock
    }
    long lastProcessed = PointerRows.select(connection, nodeId, sender, true)[1];
    SenderStream.Position position = SenderStream.of(connection, nodeId, batch, lastProcessed);
    if (position.stale()) {
      LOG.info(
          "Batch {} from {} belongs to a past incarnation of it, {}; nothing of it applied",
          batch.batchId(),
          sender,
          batch.incarnation().id());
      int size = batch.deltas().size();
      return new ApplyResult(nodeId, sender, batch.batchId(), 0, size, 0, lastProcessed);
    }
    lastProcessed = position.lastProcessed();
    if (position.rebase() != null) {
      SenderStream.record(connection, nodeId, sender, position);
      rebases.add(position.rebase());
      if (!pulled && holdsLostWrites(connection, sender, position.rebase())) {
        // the sender lost writes of its own this node holds, and their rows: this node never sends
        // a node its own deltas back, so it must reload before it pulls
        ReloadRows.put(
            connection,
            sender,
            nodeId,
            ReloadRows.DUE,
            position.rebase().reason()
                + "; "
                + nodeId
                + " holds deltas of "
                + sender
                + " up to its seq "
                + position.rebase().fromSeq()
                + " whose rows "
                + sender
                + " lost: it must reload from "
                + nodeId);
      }
      if (batch.afterSeq() > lastProcessed) {
        // the batch continues the old count (a puller's request from its old pointer): the next
        // one starts from the re-based pointer
        int size = batch.deltas().size();
        return new ApplyResult(nodeId, sender, batch.batchId(), 0, size, 0, lastProcessed, 0, true);
      }
    }
    if (batch.afterSeq() > lastProcessed) {
      throw new OutOfOrderBatchException(
          "batch "
              + batch.batchId()
              + " from "
              + sender
              + " starts after seq "
              + batch.afterSeq()
              + ", but "
              + nodeId
              + " has processed only up to seq "
              + lastProcessed
              + "; a batch in between is missing, send again from seq "
              + lastProcessed,
          lastProcessed);
    }
    if (position.rebase() == null && position.adopt() != null) {
      SenderStream.record(connection, nodeId, sender, position);
    }
    List<String> ids = batch.deltas().stream().map(Delta::id).toList();
    Set<String> seen = new HashSet<>(DeltaRows.existingIds(connection, ids));
    if (detects) {
      seen.addAll(ConflictRows.existingIds(connection, ids));
    }
    int skipped = 0;
    int quarantined = 0;
    List<Delta> admitted = new ArrayList<>();
    for (Delta delta : batch.deltas()) {
      if (delta.seq() <= lastProcessed || delta.origin().equals(nodeId) || !seen.add(delta.id())) {
        skipped++;
        continue;
      }
      Delta checked = check(connection, delta, sender, pulled);
      if (checked == null) {
        quarantined++;
      } else {
        admitted.add(checked);
      }
    }
    ConflictEngine.Batch conflictBatch = null;
    if (detects) {
      conflictBatch = conflicts.begin(connection);
      conflictBatch.prepare(admitted.stream().filter(d -> d.origin().equals(sender)).toList());
    }
    // a hub runs an INSERT over a row it wrote itself as an upsert (see insertsOverKnownRow), and
    // passes it on as an INSERT: a node following it does the same for any row it has a delta of
    Set<String> knownRows =
        DeltaRows.rowsWithDeltas(
            connection,
            pulled ? null : nodeId,
            admitted.stream().filter(d -> d.kind() == Kind.INSERT).toList());
    List<Delta> stored = new ArrayList<>();
    int conflicted = 0;
    try (StatementRuns runs = new StatementRuns(connection, batching)) {
      Delta last = null;
      for (Delta delta : admitted) {
        int seconds = secondsLeft(deadline, delta, sender);
        observe(delta, sender); // conflicting ones too: this node has seen them
        if (conflictBatch != null && delta.origin().equals(sender)) {
          if (!conflictBatch.clear(delta)) {
            run(runs, seconds, sender); // the decision reads the row as the earlier deltas left it
          }
          if (!admit(conflictBatch, delta, sender)) {
            conflicted++;
            continue;
          }
        }
        if (RowImages.isUpsert(delta)
            || RowImages.isDeletion(delta)
            || insertsOverKnownRow(delta, knownRows)) {
          run(runs, seconds, sender);
          upsert(connection, dialect, delta, sender);
        } else {
          execute(runs, delta, sender, seconds);
        }
        if (pulled && DeltaRows.rowOf(delta) != null) {
          knownRows.add(DeltaRows.rowOf(delta));
        }
        stored.add(delta);
        last = delta;
      }
      if (runs.waiting() > 0) {
        run(runs, secondsLeft(deadline, last, sender), sender);
      }
      if (detects) {
        warnOfMissingRows(batch, runs.changedNothing());
      }
    }
    DeltaRows.insert(connection, stored, sender);
    if (conflictBatch != null) {
      conflictBatch.finish();
    }
    long pointer = Math.max(lastProcessed, batch.upToSeq());
    PointerRows.advance(connection, nodeId, sender, "last_processed", pointer);
    DeadLetterRows.resolveFailed(connection, sender, pointer);
    return new ApplyResult(
        nodeId,
        sender,
        batch.batchId(),
        stored.size(),
        skipped,
        quarantined,
        pointer,
        conflicted,
        position.rebase() != null);
  }

  /** Moves the node's clock past the delta's, as far as the clock allows. */
  private void observe(Delta delta, String sender) {
    if (!clock.observe(delta.capturedAt())) {
      LOG.warn(
          "Delta {} from {} (origin {}) was captured at {}, further ahead of {}'s clock than it"
              + " follows; its clock moved only as far as its maximum drift",
          delta.id(),
          sender,
          delta.origin(),
          HybridClock.instantOf(delta.capturedAt()),
          nodeId);
    }
  }

  /** Clears the MyBatis caches on this database that may hold rows the batch changed. */
  private void clearCaches(DeltaBatch batch, ApplyResult result, String url) {
    if (result.applied() == 0 && result.conflicts() == 0) {
      return;
    }
    Set<String> tables = new HashSet<>();
    for (Delta delta : batch.deltas()) {
      String table = shapes.of(delta.sql()).table();
      if (table != null) {
        tables.add(table);
      }
    }
    StatementCaches.changed(dataSource, String.valueOf(url), tables);
  }

  /**
   * The delta with its table and row key as this node derives them from its SQL, or null when it
   * must not run (it was quarantined): it fails validation, claims what its sender may not send, or
   * declares a table or row key other than its SQL's, or is a row image naming columns its table
   * does not have.
   */
  private Delta check(Connection connection, Delta delta, String sender, boolean pulled)
      throws SQLException, Failure {
    Optional<String> problem;
    Delta checked = null;
    try {
      problem = senders.problemWith(connection, delta, sender, pulled);
      if (problem.isEmpty()) {
        checked = senders.derived(connection, delta);
      }
    } catch (SQLException | RuntimeException | StackOverflowError e) {
      throw failure(delta, sender, e);
    }
    if (problem.isPresent()) {
      quarantine(connection, delta, sender, problem.get());
      return null;
    }
    return checked;
  }

  /**
   * Whole seconds left for the next statement of the batch, at least 1; fails the batch when its
   * time is up, so a batch never holds its locks much longer than the statement timeout.
   */
  private int secondsLeft(long deadline, Delta delta, String sender) throws Failure {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw failure(
          delta,
          sender,
          new java.sql.SQLTimeoutException(
              "the batch ran longer than the statement timeout of "
                  + statementTimeout.toSeconds()
                  + " s"));
    }
    return (int) Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
  }

  /**
   * Whether the delta inserts a row that may exist here while it did not where the delta was
   * captured. Such an INSERT applies as an upsert, so the row passes through the hub's states in
   * order instead of stopping the stream on a duplicate key.
   *
   * <p>At a hub, a row this node wrote itself: a conflict that it resolves with a row image
   * following this delta, or the echo of such an image, which deleted the row on the delta's origin
   * after it had pushed its earlier INSERT. A node pulling from its upstream follows the hub: it
   * upserts an INSERT over any row it has a delta of, stored or earlier in the batch, since the hub
   * may have run that INSERT over its own row (and the bystander then holds the row the hub held).
   *
   * @param knownRows the rows ({@link DeltaRows#rowOf}) of this kind
   */
  private boolean insertsOverKnownRow(Delta delta, Set<String> knownRows) {
    String row = DeltaRows.rowOf(delta);
    return delta.kind() == Kind.INSERT && row != null && knownRows.contains(row);
  }

  private boolean admit(ConflictEngine.Batch conflictBatch, Delta delta, String sender)
      throws Failure {
    try {
      return conflictBatch.admit(delta);
    } catch (SQLException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw failure(delta, sender, e);
    }
  }

  private void upsert(Connection connection, Dialect dialect, Delta delta, String sender)
      throws Failure {
    try {
      conflicts.upsert(connection, dialect, delta);
    } catch (SQLException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw failure(delta, sender, e);
    }
  }

  /** Executes the delta, or adds it to the run of deltas with its SQL that waits. */
  private void execute(StatementRuns runs, Delta delta, String sender, int seconds)
      throws Failure, RunFailed {
    try {
      runs.add(delta, seconds);
    } catch (StatementRuns.Failed e) {
      rethrow(e, sender);
    }
  }

  /** Executes the run of deltas that waits, before what must see their effects. */
  private void run(StatementRuns runs, int seconds, String sender) throws Failure, RunFailed {
    try {
      runs.flush(seconds);
    } catch (StatementRuns.Failed e) {
      rethrow(e, sender);
    }
  }

  private void rethrow(StatementRuns.Failed e, String sender) throws Failure, RunFailed {
    if (e.delta() == null) {
      throw new RunFailed(e);
    }
    throw failure(e.delta(), sender, e.getCause());
  }

  /**
   * The failure of a delta, for its sender: which delta, and a reference to the detail in this
   * node's log, but never the database's message, which may quote values of this node's rows.
   */
  private Failure failure(Delta delta, String sender, Throwable e) {
    boolean timedOut = StatementTimeouts.isTimeout(e);
    String detail = (timedOut ? "timed out: " : "") + e;
    // the same failure of the same delta has the same reference, found in the line logged first
    String ref = errorRef(delta.id() + " " + detail);
    String what = timedOut ? "ran out of time (" + statementTimeout.toSeconds() + " s)" : "failed";
    String named =
        delta.id()
            + " (seq "
            + delta.seq()
            + " from "
            + sender
            + ", "
            + delta.statementId()
            + ") "
            + what;
    return new Failure(
        delta,
        detail,
        "Delta " + named + " (error " + ref + ")",
        LogText.of(e),
        new DeltaApplyException(
            delta.id(),
            "delta "
                + named
                + " at "
                + nodeId
                + " (error "
                + ref
                + "; the detail is in "
                + nodeId
                + "'s log and dead letters); the batch was rolled back and deltas from "
                + sender
                + " wait until it is retried or skipped",
            e instanceof Exception exception ? exception : new RuntimeException(e)));
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return key;
  }

  /** A short reference that ties what a sender is told to the detail in this node's log. */
  private static String errorRef() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A short reference that is the same for the same text while this process runs: keyed with a
   * random key of its own, so that a sender cannot test guesses of the database's message (which
   * may quote values of this node's rows) against the reference it is told.
   */
  private static String errorRef(String text) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(REF_KEY, "HmacSHA256"));
      byte[] hash = mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash, 0, 4);
    } catch (java.security.GeneralSecurityException e) {
      return errorRef();
    }
  }

  private void quarantine(Connection connection, Delta delta, String sender, String reason)
      throws SQLException {
    LOG.warn(
        "Refused delta {} from {} (origin {}, {}): {}",
        delta.id(),
        sender,
        delta.origin(),
        delta.statementId(),
        LogText.of(reason));
    DeadLetterRows.record(connection, delta, sender, DeadLetterRows.QUARANTINED, reason);
  }

  /**
   * Records the failed delta as a dead letter and logs it: at WARN the first time it fails, when it
   * fails otherwise than the time before, and at its 10th, 100th, ... attempt; at DEBUG at every
   * other attempt, since its sender sends it again and again (with backoff) until an operator
   * retries or skips it, and each attempt would otherwise write the same line.
   */
  private void recordFailure(Connection connection, DeltaBatch batch, Failure failure) {
    DeadLetterRows.Recorded recorded = null;
    try {
      recorded =
          DeadLetterRows.record(
              connection, failure.delta, batch.sender(), DeadLetterRows.FAILED, failure.detail);
      connection.commit();
    } catch (SQLException e) {
      failure.exception.addSuppressed(e);
    }
    int attempts = recorded == null ? 1 : recorded.attempts();
    // new to this applier's log too: after a restart the sender is told another reference
    boolean first = firstLogged(failure.logLine);
    boolean news = first || recorded == null || attempts <= 1 || !recorded.sameReason();
    if (news) {
      LOG.warn("{}: {}", failure.logLine, failure.cause);
    } else if (isPowerOfTen(attempts)) {
      LOG.warn(
          "{} again, {} attempts so far; deltas from {} wait until it is retried or skipped"
              + " (attempts in between at DEBUG)",
          failure.logLine,
          attempts,
          batch.sender());
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("{} again, attempt {}: {}", failure.logLine, attempts, failure.cause);
    }
  }

  /** Whether this applier has not logged the line yet (it remembers the last thousand). */
  private boolean firstLogged(String logLine) {
    synchronized (loggedFailures) {
      return loggedFailures.put(logLine, Boolean.TRUE) == null;
    }
  }

  private static boolean isPowerOfTen(int n) {
    int rest = n;
    while (rest >= 10 && rest % 10 == 0) {
      rest /= 10;
    }
    return rest == 1 && n >= 10;
  }

  /** A JDBC batch of several deltas failed; which one failed is not known. */
  private static final class RunFailed extends Exception {
    RunFailed(StatementRuns.Failed cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** A delta that failed to execute, carried out of the transaction. */
  private static final class Failure extends Exception {
    private final Delta delta;
    private final String detail;
    private final String logLine;
    private final String cause;
    private final DeltaApplyException exception;

    Failure(
        Delta delta, String detail, String logLine, String cause, DeltaApplyException exception) {
      super(exception.getMessage(), null, false, false);
      this.delta = delta;
      this.detail = detail;
      this.logLine = logLine;
      this.cause = cause;
      this.exception = exception;
    }
  }
}
