package io.deltasync.testing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * A seeded mix of inserts, updates and deletes over many transactions: SIMPLE, REUSE and BATCH
 * executors, some transactions rolled back, some multi-row updates and generated-key inserts.
 */
public final class Workload {

  private static final String[] WORDS = {
    "plain",
    "it's \"quoted\"",
    "ünïcödé ✓",
    "emoji 🚀",
    "back\\slash",
    "tab\tand\nnewline",
    "%_like"
  };

  private final Random random;
  private final long firstId;
  private final boolean onlyWriter;
  private final Set<Long> live = new HashSet<>();
  private long nextId;
  private int committedStatements;
  private int rolledBackTransactions;
  private int batchTransactions;

  /**
   * @param seed the random seed; the same seed gives the same workload
   * @param firstId the first note id this workload inserts; give each writing node its own range
   * @param onlyWriter whether this is the only node writing: only then are multi-row updates and
   *     database-generated keys free of conflicts, and so part of the mix
   */
  public Workload(long seed, long firstId, boolean onlyWriter) {
    this.random = new Random(seed);
    this.firstId = firstId;
    this.onlyWriter = onlyWriter;
    this.nextId = firstId;
  }

  /** Runs transactions on the node until at least {@code statements} statements have committed. */
  public Workload run(TestNode node, int statements) {
    while (committedStatements < statements) {
      transaction(node);
    }
    return this;
  }

  private void transaction(TestNode node) {
    int pick = random.nextInt(10);
    ExecutorType type =
        pick < 6 ? ExecutorType.SIMPLE : pick < 8 ? ExecutorType.REUSE : ExecutorType.BATCH;
    boolean rollback = random.nextInt(10) == 0;
    Set<Long> before = new HashSet<>(live);
    long nextIdBefore = nextId;
    int count = 1 + random.nextInt(25);
    try (SqlSession session = node.sessions().openSession(type)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      for (int i = 0; i < count; i++) {
        statement(notes, type);
      }
      if (rollback) {
        session.rollback();
        live.clear();
        live.addAll(before);
        nextId = nextIdBefore;
        rolledBackTransactions++;
      } else {
        session.commit();
        committedStatements += count;
        if (type == ExecutorType.BATCH) {
          batchTransactions++;
        }
      }
    }
  }

  private void statement(NoteMapper notes, ExecutorType type) {
    int pick = random.nextInt(100);
    if (live.size() < 20 || pick < 40) {
      Note note = randomNote(nextId++);
      notes.insert(note);
      live.add(note.id);
    } else if (pick < 75) {
      Note note = randomNote(anyLive());
      notes.update(note);
    } else if (pick < 92) {
      long id = anyLive();
      notes.delete(id);
      live.remove(id);
    } else if (!onlyWriter) {
      notes.update(randomNote(anyLive()));
    } else if (pick < 94) {
      long copy = nextId++;
      notes.copy(anyLive(), copy); // INSERT ... SELECT
      live.add(copy);
    } else if (pick < 96) {
      notes.markDone(
          WORDS[random.nextInt(WORDS.length)].substring(0, 2) + "%", random.nextBoolean());
    } else if (type != ExecutorType.BATCH) {
      notes.insertTicket(new Ticket("ticket " + random.nextInt(1000)));
    } else {
      notes.delete(-1); // changes no row: records nothing
    }
  }

  private long anyLive() {
    List<Long> ids = new ArrayList<>(live);
    ids.sort(Long::compare);
    return ids.get(random.nextInt(ids.size()));
  }

  private Note randomNote(long id) {
    Note note = new Note(id, WORDS[random.nextInt(WORDS.length)] + " " + random.nextInt(100));
    note.body = random.nextInt(4) == 0 ? null : "body " + random.nextLong();
    note.done = random.nextBoolean();
    note.amount = BigDecimal.valueOf(random.nextInt(1_000_000), 2);
    note.createdAt =
        random.nextInt(5) == 0
            ? null
            : LocalDateTime.of(2026, 1 + random.nextInt(12), 1 + random.nextInt(28), 12, 30)
                .plusNanos(random.nextInt(1000) * 1_000_000L);
    note.dueDay = random.nextBoolean() ? null : LocalDate.of(2027, 3, 1 + random.nextInt(28));
    if (random.nextInt(3) == 0) {
      note.data = new byte[random.nextInt(64)];
      random.nextBytes(note.data);
    }
    return note;
  }

  /** Statements in committed transactions. */
  public int committedStatements() {
    return committedStatements;
  }

  /** Transactions rolled back. */
  public int rolledBackTransactions() {
    return rolledBackTransactions;
  }

  /** Committed transactions that used the BATCH executor. */
  public int batchTransactions() {
    return batchTransactions;
  }

  /** The first id this workload inserts. */
  public long firstId() {
    return firstId;
  }
}
