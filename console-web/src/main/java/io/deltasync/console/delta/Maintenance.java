package io.deltasync.console.delta;

import io.deltasync.store.DeltaStore;
import io.deltasync.store.NodePointers;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Purge and re-send as the console performs them: previews first, then the change.
 *
 * <p>A purge deletes the deltas up to a seq; it is refused, unless forced, when a known peer has
 * not acknowledged some of them. A re-send moves a peer's {@code lastPushed} back to a seq, so the
 * node's shipping sends everything after it again (the peer skips what it has). Thread-safe.
 */
@Component
public class Maintenance {

  private static final String PENDING =
      " FROM ds_delta WHERE seq > ? AND seq <= ? AND origin <> ?"
          + " AND (received_from IS NULL OR received_from <> ?)";

  private final JdbcTemplate jdbc;
  private final DeltaStore store;

  public Maintenance(DataSource dataSource, DeltaStore store) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.store = store;
  }

  /** What purging every delta all known peers acknowledged would delete. */
  public PurgePreview previewPurgeAcknowledged() {
    List<NodePointers> pointers = store.allPointers();
    long upTo = pointers.stream().mapToLong(NodePointers::lastPushed).min().orElse(0);
    return preview("acknowledged by every peer", null, upTo, pointers);
  }

  /** What purging every delta stored before the instant would delete. */
  public PurgePreview previewPurgeOlderThan(Instant olderThan) {
    Long upTo =
        jdbc.queryForObject(
            "SELECT COALESCE(MAX(seq), 0) FROM ds_delta WHERE stored_at < ?",
            Long.class,
            Timestamp.from(olderThan));
    return preview("stored before " + olderThan, olderThan, upTo, store.allPointers());
  }

  /**
   * Deletes the previewed deltas (seq up to the preview's).
   *
   * @param force delete even when a peer still needs some of them
   * @return how many deltas were deleted
   * @throws PurgeRefusedException when a peer still needs some and {@code force} is false
   */
  public long purge(PurgePreview preview, boolean force) {
    PurgePreview now =
        preview(preview.criterion(), preview.olderThan(), preview.upToSeq(), store.allPointers());
    if (!now.stillNeededBy().isEmpty() && !force) {
      throw new PurgeRefusedException(now.stillNeededBy());
    }
    return jdbc.update("DELETE FROM ds_delta WHERE seq <= ?", preview.upToSeq());
  }

  /** How many deltas a re-send to the peer from {@code fromSeq} would send again. */
  public long countToResend(String peer, long fromSeq) {
    return count(peer, fromSeq, store.lastSeq());
  }

  /**
   * Moves the peer's {@code lastPushed} back to {@code fromSeq}.
   *
   * @return how many deltas that sends again
   */
  public long resendFrom(String peer, long fromSeq) {
    long count = countToResend(peer, fromSeq);
    store.resetPushed(peer, fromSeq);
    return count;
  }

  private PurgePreview preview(
      String criterion, Instant olderThan, long upTo, List<NodePointers> pointers) {
    Long count =
        jdbc.queryForObject("SELECT COUNT(*) FROM ds_delta WHERE seq <= ?", Long.class, upTo);
    Map<String, Long> needed = new LinkedHashMap<>();
    for (NodePointers pointer : pointers) {
      if (pointer.lastPushed() < upTo) {
        long pending = count(pointer.peerId(), pointer.lastPushed(), upTo);
        if (pending > 0) {
          needed.put(pointer.peerId(), pending);
        }
      }
    }
    return new PurgePreview(criterion, olderThan, upTo, count == null ? 0 : count, needed);
  }

  private long count(String peer, long after, long upTo) {
    Long count =
        jdbc.queryForObject("SELECT COUNT(*)" + PENDING, Long.class, after, upTo, peer, peer);
    return count == null ? 0 : count;
  }
}
