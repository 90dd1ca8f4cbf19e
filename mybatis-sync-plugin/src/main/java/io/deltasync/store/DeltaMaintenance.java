package io.deltasync.store;

import io.deltasync.delta.Delta;
import io.deltasync.store.internal.PurgeRows;
import io.deltasync.store.internal.ReloadRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's upkeep of {@code ds_delta}: purge what peers have (with a preview of what it
 * deletes and who still needs it), and re-send deltas to a peer from a seq. What the console calls.
 *
 * <p>A purge deletes exactly the deltas its {@link PurgePreview} counted: at or below the preview's
 * {@code upToSeq}, so a delta stored after the preview is never deleted. It refuses with {@link
 * PurgeRefusedException} when a known peer (one with a pointer row) would lose deltas it has not
 * acknowledged, unless forced; that is checked again when it runs. It deletes in chunks of {@value
 * #CHUNK} seqs, each in its own short transaction, so purging a million deltas holds no long locks;
 * a purge that stops half-way has deleted a prefix of what it would, and running it again finishes
 * it. A forced purge first notes in {@code ds_reload} that each peer it leaves without deltas it
 * needed must reload from this node: that peer's next pull is refused until it does (see {@code
 * io.deltasync.load.Loader}). Re-sending moves the peer's {@code lastPushed} back; the peer skips
 * what it has already applied (by its pointer and by delta id), so its data does not change.
 * Thread-safe.
 */
public final class DeltaMaintenance {

  /** How many seqs one purge transaction covers at most. */
  public static final int CHUNK = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(DeltaMaintenance.class);

  private final DataSource dataSource;
  private final DeltaStore store;

  /**
   * @param dataSource the node's database, holding {@code ds_delta}
   * @param store the node's store over the same database: its pointers say what peers acknowledged
   */
  public DeltaMaintenance(DataSource dataSource, DeltaStore store) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * What purging the deltas every known peer has acknowledged would delete: seq at or below the
   * smallest {@code lastPushed}, but never the newest delta (see {@link
   * #previewPurgeAcknowledgedOlderThan}); nothing when the node has no peers. No peer still needs
   * them.
   */
  public PurgePreview previewPurgeAcknowledged() {
    long acknowledged =
        store.allPointers().stream().mapToLong(NodePointers::lastPushed).min().orElse(0);
    long upTo = acknowledged == 0 ? 0 : Math.max(0, Math.min(acknowledged, store.lastSeq() - 1));
    try (Connection connection = dataSource.getConnection()) {
      long count = upTo == 0 ? 0 : PurgeRows.count(connection, 0, upTo, null, null);
      return new PurgePreview(PurgePreview.ACKNOWLEDGED, null, upTo, count, Map.of());
    } catch (SQLException e) {
      throw new DeltaStoreException("could not preview the purge of acknowledged deltas", e);
    }
  }

  /**
   * What purging the deltas stored before the instant would delete, and which known peers have not
   * acknowledged how many of them.
   */
  public PurgePreview previewPurgeOlderThan(Instant before) {
    Objects.requireNonNull(before, "before");
    Timestamp stamp = Timestamp.from(before);
    try (Connection connection = dataSource.getConnection()) {
      long upTo = PurgeRows.lastSeqStoredBefore(connection, stamp);
      long count = upTo == 0 ? 0 : PurgeRows.count(connection, 0, upTo, stamp, null);
      return new PurgePreview(
          PurgePreview.OLDER_THAN, before, upTo, count, stillNeeded(connection, upTo, stamp));
    } catch (SQLException e) {
      throw new DeltaStoreException(
          "could not preview the purge of deltas older than " + before, e);
    }
  }

  /**
   * What purging the deltas stored before the instant that every known peer has acknowledged would
   * delete: those with a seq at or below both the last one stored before the instant and the
   * smallest {@code lastPushed}, but never the newest delta; nothing when the node has no peers. No
   * peer still needs them, so {@link #purge} deletes them without force.
   *
   * <p>The newest delta stays because a node's seqs are measured against it: a node that purged
   * every delta and then restarted would begin its next incarnation on an older base (see {@code
   * IncarnationRows.begin}), below what its peers have processed, and a hub that still holds its
   * deltas would take it for a node that lost its commits and have it reload.
   */
  public PurgePreview previewPurgeAcknowledgedOlderThan(Instant before) {
    Objects.requireNonNull(before, "before");
    Timestamp stamp = Timestamp.from(before);
    long acknowledged =
        store.allPointers().stream().mapToLong(NodePointers::lastPushed).min().orElse(0);
    try (Connection connection = dataSource.getConnection()) {
      long upTo =
          acknowledged == 0
              ? 0
              : Math.max(
                  0,
                  Math.min(
                      Math.min(acknowledged, PurgeRows.lastSeqStoredBefore(connection, stamp)),
                      store.lastSeq() - 1));
      long count = upTo == 0 ? 0 : PurgeRows.count(connection, 0, upTo, stamp, null);
      return new PurgePreview(PurgePreview.OLDER_THAN, before, upTo, count, Map.of());
    } catch (SQLException e) {
      throw new DeltaStoreException(
          "could not preview the purge of acknowledged deltas older than " + before, e);
    }
  }

  /** Whether the oldest delta held was stored before the instant: one probe of the primary key. */
  boolean holdsDeltasStoredBefore(Instant before) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT stored_at FROM ds_delta ORDER BY seq LIMIT 1");
        ResultSet oldest = select.executeQuery()) {
      return oldest.next() && oldest.getTimestamp(1).toInstant().isBefore(before);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read the oldest delta", e);
    }
  }

  /**
   * Deletes the deltas the preview counted.
   *
   * @param force delete also when known peers still need some of them
   * @return how many deltas were deleted (fewer than previewed when some were purged meanwhile)
   * @throws PurgeRefusedException when peers still need some, by the preview or by their pointers
   *     now, and {@code force} is false; nothing is deleted then
   */
  public long purge(PurgePreview preview, boolean force) {
    Objects.requireNonNull(preview, "preview");
    Timestamp stamp = preview.olderThan() == null ? null : Timestamp.from(preview.olderThan());
    try (Connection connection = dataSource.getConnection()) {
      Map<String, Long> needed = new LinkedHashMap<>(preview.stillNeededBy());
      stillNeeded(connection, preview.upToSeq(), stamp)
          .forEach((p, n) -> needed.merge(p, n, Math::max));
      if (!needed.isEmpty() && !force) {
        throw new PurgeRefusedException(refusal(preview, needed), needed);
      }
      markReloads(connection, preview, needed);
      long deleted = deleteUpTo(connection, preview.upToSeq(), stamp);
      LOG.info(
          "Purged {} deltas ({}{}) up to seq {}{}",
          deleted,
          preview.criterion(),
          stamp == null ? "" : " " + preview.olderThan(),
          preview.upToSeq(),
          needed.isEmpty() ? "" : ", forced although still needed by " + needed);
      return deleted;
    } catch (SQLException e) {
      throw new DeltaStoreException("could not purge deltas up to seq " + preview.upToSeq(), e);
    }
  }

  /**
   * How many deltas a re-send to the peer from {@code fromSeq} sends again: those with a seq above
   * {@code fromSeq} and at most the peer's {@code lastPushed} that are sent to it (not originated
   * by it, not received from it), as far as the store still holds them. Deltas above {@code
   * lastPushed} are not counted: they were never sent, and go as they would anyway.
   */
  public long countToResend(String peer, long fromSeq) {
    Delta.requireNodeId(peer, "peer");
    long lastPushed = store.pointers(peer).lastPushed();
    if (fromSeq >= lastPushed) {
      return 0;
    }
    try (Connection connection = dataSource.getConnection()) {
      return PurgeRows.count(connection, Math.max(0, fromSeq), lastPushed, null, peer);
    } catch (SQLException e) {
      throw new DeltaStoreException(
          "could not count the deltas to re-send to " + peer + " from seq " + fromSeq, e);
    }
  }

  /**
   * Re-sends to the peer from {@code fromSeq}: sets its {@code lastPushed} back there, so the
   * outbox sends everything after it again.
   *
   * @return {@link #countToResend}, counted just before the pointer moved
   * @throws IllegalArgumentException when the peer is not known (no pointer row: resetting would
   *     make it one, which holds back purges), or {@code fromSeq} is negative or beyond the peer's
   *     {@code lastPushed} (that would skip deltas it has not acknowledged)
   */
  public long resendFrom(String peer, long fromSeq) {
    Delta.requireNodeId(peer, "peer");
    if (store.allPointers().stream().noneMatch(p -> p.peerId().equals(peer))) {
      throw new IllegalArgumentException(
          peer + " is not a known peer of " + store.nodeId() + ": it has no pointers here");
    }
    long lastPushed = store.pointers(peer).lastPushed();
    if (fromSeq < 0 || fromSeq > lastPushed) {
      throw new IllegalArgumentException(
          "fromSeq must be between 0 and "
              + peer
              + "'s lastPushed "
              + lastPushed
              + ", but was "
              + fromSeq
              + "; moving the pointer forward would skip deltas it has not acknowledged");
    }
    long count = countToResend(peer, fromSeq);
    store.resetPushed(peer, fromSeq);
    DeltaSignal.of(store.nodeId()).raise(); // the outbox starts the re-send at once
    return count;
  }

  private Map<String, Long> stillNeeded(Connection connection, long upTo, Timestamp before)
      throws SQLException {
    Map<String, Long> needed = new LinkedHashMap<>();
    for (NodePointers pointers : store.allPointers()) {
      if (pointers.lastPushed() < upTo) {
        long count =
            PurgeRows.count(connection, pointers.lastPushed(), upTo, before, pointers.peerId());
        if (count > 0) {
          needed.put(pointers.peerId(), count);
        }
      }
    }
    return needed;
  }

  /**
   * Notes that each peer that still needed some of the deltas must reload before it pulls again:
   * deltas alone can no longer bring it up to date.
   */
  private void markReloads(Connection connection, PurgePreview preview, Map<String, Long> needed)
      throws SQLException {
    if (needed.isEmpty()) {
      return;
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      for (Map.Entry<String, Long> peer : needed.entrySet()) {
        ReloadRows.put(
            connection,
            peer.getKey(),
            store.nodeId(),
            ReloadRows.DUE,
            store.nodeId()
                + " purged "
                + peer.getValue()
                + " deltas up to seq "
                + preview.upToSeq()
                + " that "
                + peer.getKey()
                + " had not acknowledged (it had up to seq "
                + store.pointers(peer.getKey()).lastPushed()
                + "): "
                + peer.getKey()
                + " must reload from "
                + store.nodeId());
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static long deleteUpTo(Connection connection, long upTo, Timestamp before)
      throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      long deleted = 0;
      long after = PurgeRows.nextSeq(connection, 0) - 1;
      while (after >= 0 && after < upTo) {
        long end = Math.min(upTo, after + CHUNK);
        deleted += PurgeRows.delete(connection, after, end, before);
        connection.commit();
        long next = PurgeRows.nextSeq(connection, end);
        after = next < 0 ? -1 : next - 1;
      }
      connection.commit();
      return deleted;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static String refusal(PurgePreview preview, Map<String, Long> needed) {
    StringBuilder peers = new StringBuilder();
    needed.forEach(
        (peer, count) ->
            peers.append(peers.isEmpty() ? "" : ", ").append(peer).append(" needs ").append(count));
    return "refused to purge "
        + preview.count()
        + " deltas ("
        + preview.criterion()
        + (preview.olderThan() == null ? "" : " " + preview.olderThan())
        + ", up to seq "
        + preview.upToSeq()
        + "): known peers have not acknowledged all of them: "
        + peers
        + "; wait until they have, or force the purge";
  }
}
