package io.deltasync.conflict;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.delta.HybridClock;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hub and two clients, node-a and node-b, whose deltas carry their basis from the hub. The hub
 * database is shared; each call to {@link #hub(String)} makes a hub node with another policy over
 * it, so tests can share databases and use a fresh key each.
 */
final class ConflictFixture {

  final TestDatabase hubDb;
  final TestNode a;
  final TestNode b;
  final Conflicts conflicts;
  private final AtomicLong keys = new AtomicLong(100);

  ConflictFixture(TestDatabase hubDb, TestDatabase aDb, TestDatabase bDb) {
    this(hubDb, aDb, bDb, HybridClock.forNode("node-b"));
  }

  /** The fixture with node-b's capture and applier on the given clock. */
  ConflictFixture(TestDatabase hubDb, TestDatabase aDb, TestDatabase bDb, HybridClock bClock) {
    this.hubDb = NotesSchema.install(hubDb);
    this.a = TestNode.start(aDb, client("node-a"));
    this.b = TestNode.start(bDb, client("node-b"), bClock);
    this.conflicts = new Conflicts(hubDb.dataSource(), "hub");
  }

  static CaptureSettings client(String id) {
    return new CaptureSettings(id, "hub", NameFilter.ALL, NameFilter.ALL, Set.of());
  }

  /** The hub deciding every table's conflicts by the policy (a built-in id or a class name). */
  SyncNode hub(String policy) {
    return hub(ConflictPolicies.of(policy, Map.of(), name -> null));
  }

  SyncNode hub(ConflictPolicies policies) {
    return new SyncNode("hub", hubDb.dataSource(), NameFilter.ALL, policies);
  }

  long freshKey() {
    return keys.incrementAndGet();
  }

  static Note note(long id, String title, String body) {
    Note note = new Note();
    note.id = id;
    note.title = title;
    note.body = body;
    note.amount = new BigDecimal("1.50");
    return note;
  }

  void insert(TestNode node, long id, String title, String body) {
    node.inTransaction(mapper -> mapper.insert(note(id, title, body)));
  }

  void update(TestNode node, long id, String title, String body) {
    node.inTransaction(mapper -> mapper.update(note(id, title, body)));
  }

  void delete(TestNode node, long id) {
    node.inTransaction(mapper -> mapper.delete(id));
  }

  /** A row that node-a wrote and every node holds. */
  void shared(SyncNode hub, long id) {
    insert(a, id, "first", "body-0");
    a.node().sync(hub);
    b.node().sync(hub);
  }

  /** Both clients push and pull until nothing moves. */
  void settle(SyncNode hub) {
    for (int round = 0; round < 3; round++) {
      a.node().sync(hub);
      b.node().sync(hub);
    }
  }

  /** The row's "title|body" on each of hub, node-a, node-b; "absent" when it has none. */
  List<String> everywhere(long id) {
    List<String> rows = new ArrayList<>();
    rows.add(row(hubDb, id));
    rows.add(row(a.db(), id));
    rows.add(row(b.db(), id));
    return rows;
  }

  static String row(TestDatabase db, long id) {
    List<String> found = new ArrayList<>();
    NotesSchema.query(
        db.dataSource(),
        "SELECT title, body FROM note WHERE id = " + id,
        rows -> found.add(rows.getString(1) + "|" + rows.getString(2)));
    return found.isEmpty() ? "absent" : found.get(0);
  }

  /** The conflicts recorded on the row, oldest first. */
  List<ConflictRecord> on(long id) {
    List<ConflictRecord> all = new ArrayList<>(conflicts.list(null, Conflicts.MAX_LIST));
    all.removeIf(c -> c.rowKey() == null || !c.rowKey().values().get("id").equals("" + id));
    java.util.Collections.reverse(all);
    return all;
  }

  Optional<ConflictRecord> only(long id) {
    List<ConflictRecord> found = on(id);
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }
}
