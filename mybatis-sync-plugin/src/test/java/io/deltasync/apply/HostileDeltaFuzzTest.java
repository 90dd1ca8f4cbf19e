package io.deltasync.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzz of what a compromised client may send a hub: valid captured deltas, mutated (SQL
 * tokens inserted or replaced, tables swapped, declared table, row key, kind, statement id and
 * origin changed, parameters retyped, dropped or added), applied batch by batch. Whatever comes, no
 * table outside the replicated set changes, and nothing leaves {@code apply} but a result or a
 * {@link DeltaApplyException} whose batch was rolled back (pointer and stored deltas as before).
 *
 * <p>{@code -Ddeltasync.fuzz.cases=} sets the number of cases (default 3,000) and {@code
 * -Ddeltasync.seed=} replays a run; the seed is printed and in every failure message.
 */
class HostileDeltaFuzzTest {

  private static final String[] TOKENS = {
    "secret",
    "ds_node_pointer",
    "ds_delta",
    "audit_log",
    "\"secret\"",
    "\"t\u0131cket\"",
    "`secret`",
    "(SELECT s FROM secret)",
    "(SELECT max(title) FROM ticket)",
    "current_user",
    "user",
    "lpad('x', 900000000, 'y')",
    "REGEXP '(a+)+$'",
    "CSVWRITE('/tmp/x', 'SELECT 1')",
    "; DELETE FROM secret",
    "--",
    "/*",
    "*/",
    "'",
    "\"",
    "?",
    ",",
    "(",
    ")",
    "OR 1 = 1",
    "UNION SELECT s FROM secret",
    "WHERE",
    "SET",
    "FROM secret",
    "JOIN secret ON 1 = 1",
    "USING secret",
    "RETURNING *",
    "WITH x AS (DELETE FROM secret) SELECT 1",
    "NEXT VALUE FOR s",
    "@v",
    "$$",
    "\\",
    "#",
    "{fn user()}",
    "note",
    "NOTE",
    "ticket",
    "1"
  };

  private static final String[] TABLES = {
    "secret", "ds_node_pointer", "audit_log", "ticket", "note", "NOTE", "public.secret"
  };

  @Test
  void noMutatedDeltaWritesOutsideTheReplicatedTablesOrEscapesApply() {
    long seed = Long.getLong("deltasync.seed", new Random().nextLong());
    int cases = Integer.getInteger("deltasync.fuzz.cases", 3_000);
    System.out.println("HostileDeltaFuzzTest seed " + seed + ", " + cases + " cases");
    Random random = new Random(seed);

    TestNode client = TestNode.start("node-a", TestDatabases.h2("fuzz_client"));
    List<Delta> captured = capture(client);
    TestDatabase hubDb = NotesSchema.install(TestDatabases.h2("fuzz_hub"));
    hubDb.execute(
        "CREATE TABLE secret (id BIGINT PRIMARY KEY, s VARCHAR(100))",
        "INSERT INTO secret (id, s) VALUES (1, 'TOPSECRET')",
        "INSERT INTO audit_log (id, message) VALUES (1, 'audited')",
        "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed, updated_at)"
            + " VALUES ('hub', 'node-b', 7, 7, CURRENT_TIMESTAMP)");
    DeltaApplier hub =
        new DeltaApplier(
            hubDb.dataSource(),
            "hub",
            new DeltaValidator(NameFilter.of("note,ticket", null)),
            ConflictPolicies.serverWins(),
            null);
    List<String> protectedBefore = protectedState(hubDb.dataSource());

    int applied = 0;
    int refused = 0;
    int failed = 0;
    for (int i = 0; i < cases; i++) {
      Delta mutated;
      try {
        mutated = mutate(captured.get(random.nextInt(captured.size())), random);
      } catch (IllegalArgumentException e) {
        continue; // the record itself refuses the mutation (a blank field, a malformed origin)
      }
      long pointer = lastProcessed(hubDb.dataSource());
      long stored = NotesSchema.count(hubDb.dataSource(), "SELECT COUNT(*) FROM ds_delta");
      DeltaBatch batch =
          new DeltaBatch(
              "node-a",
              DeltaIds.next(),
              pointer,
              pointer + 1,
              List.of(mutated.withSeq(pointer + 1)));
      try {
        ApplyResult result = hub.apply(batch);
        applied += result.applied();
        refused += result.quarantined();
      } catch (DeltaApplyException e) {
        failed++;
        assertThat(lastProcessed(hubDb.dataSource()))
            .as("seed %d case %d: a failed batch moved the pointer: %s", seed, i, mutated)
            .isEqualTo(pointer);
        assertThat(NotesSchema.count(hubDb.dataSource(), "SELECT COUNT(*) FROM ds_delta"))
            .as("seed %d case %d: a failed batch stored deltas: %s", seed, i, mutated)
            .isEqualTo(stored);
        skipPast(hubDb.dataSource(), pointer + 1); // the stream goes on, as after an admin's skip
      } catch (Throwable e) {
        fail("seed " + seed + " case " + i + ": apply threw " + e + " for " + mutated, e);
      }
      List<String> protectedNow = protectedState(hubDb.dataSource());
      if (!protectedNow.equals(protectedBefore)) {
        fail(
            "seed "
                + seed
                + " case "
                + i
                + ": a table outside the replicated set changed after "
                + mutated
                + "\nbefore: "
                + protectedBefore
                + "\nafter:  "
                + protectedNow);
      }
    }
    System.out.printf(
        "HostileDeltaFuzzTest seed %d: %d deltas applied, %d quarantined, %d failed and rolled"
            + " back%n",
        seed, applied, refused, failed);
    assertThat(refused).as("the fuzz must reach the checks").isGreaterThan(cases / 4);
  }

  /** Valid deltas as the client's MyBatis mapper captures them. */
  private static List<Delta> capture(TestNode client) {
    client.inTransaction(
        notes -> {
          for (int i = 1; i <= 20; i++) {
            Note note = new Note(i, "note " + i);
            note.amount = new BigDecimal(i + ".50");
            notes.insert(note);
          }
          Note changed = new Note(3, "changed");
          changed.amount = BigDecimal.TEN;
          notes.update(changed);
          notes.markDone("note 1%", true);
          notes.copy(4, 40);
          notes.delete(5);
          notes.insertAudit(9, "audited by the app");
          return null;
        });
    return client.node().store().pendingFor("hub", 0, 1000).deltas();
  }

  private static Delta mutate(Delta delta, Random random) {
    String sql = delta.sql();
    List<Param> params = new ArrayList<>(delta.params());
    String table = delta.table();
    RowKey rowKey = delta.rowKey();
    Kind kind = delta.kind();
    String statementId = delta.statementId();
    String origin = delta.origin();
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      switch (random.nextInt(9)) {
        case 0 -> sql = insertToken(sql, random);
        case 1 -> sql = replaceToken(sql, random);
        case 2 -> sql = sql.replaceFirst("(?i)\\bnote\\b", pick(TABLES, random));
        case 3 -> table = pick(TABLES, random);
        case 4 ->
            rowKey = new RowKey(new TreeMap<>(Map.of("id", String.valueOf(random.nextInt(50)))));
        case 5 -> kind = Kind.values()[random.nextInt(Kind.values().length)];
        case 6 -> statementId = random.nextBoolean() ? "deltasync.rowImage" : "x.Evil.write";
        case 7 -> origin = random.nextBoolean() ? "node-b" : "hub";
        default -> retype(params, random);
      }
    }
    return new Delta(
        DeltaIds.next(),
        origin,
        1,
        delta.txId(),
        delta.capturedAt(),
        random.nextBoolean() ? 0 : 1_000_000,
        statementId,
        kind,
        table,
        rowKey,
        sql,
        params);
  }

  private static String insertToken(String sql, Random random) {
    String[] words = sql.split(" ");
    int at = random.nextInt(words.length + 1);
    List<String> out = new ArrayList<>(List.of(words));
    out.add(at, pick(TOKENS, random));
    return String.join(" ", out);
  }

  private static String replaceToken(String sql, Random random) {
    String[] words = sql.split(" ");
    words[random.nextInt(words.length)] = pick(TOKENS, random);
    return String.join(" ", words);
  }

  private static void retype(List<Param> params, Random random) {
    int choice = random.nextInt(4);
    if (choice == 0 || params.isEmpty()) {
      params.add(new Param(ParamType.STRING, "x' OR '1'='1"));
    } else if (choice == 1) {
      params.remove(random.nextInt(params.size()));
    } else if (choice == 2) {
      params.set(random.nextInt(params.size()), new Param(ParamType.BYTES, new byte[] {1, 2}));
    } else {
      params.set(random.nextInt(params.size()), new Param(ParamType.LONG, 1L));
    }
  }

  private static String pick(String[] values, Random random) {
    return values[random.nextInt(values.length)];
  }

  private static long lastProcessed(DataSource hub) {
    List<Long> values = new ArrayList<>();
    NotesSchema.query(
        hub,
        "SELECT last_processed FROM ds_node_pointer WHERE node_id = 'hub' AND peer_id = 'node-a'",
        row -> values.add(row.getLong(1)));
    return values.isEmpty() ? 0 : values.get(0);
  }

  private static void skipPast(DataSource hub, long seq) {
    NotesSchema.query(hub, "SELECT 1", row -> {});
    try (var connection = hub.getConnection();
        var update =
            connection.prepareStatement(
                "UPDATE ds_node_pointer SET last_processed = ? WHERE node_id = 'hub'"
                    + " AND peer_id = 'node-a'")) {
      update.setLong(1, seq);
      update.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every row of the tables a delta must never change, and the list of tables itself. */
  private static List<String> protectedState(DataSource hub) {
    List<String> rows = new ArrayList<>();
    NotesSchema.query(
        hub, "SELECT id, s FROM secret ORDER BY id", row -> rows.add("secret " + row.getString(2)));
    NotesSchema.query(
        hub,
        "SELECT id, message FROM audit_log ORDER BY id",
        row -> rows.add("audit_log " + row.getLong(1) + " " + row.getString(2)));
    NotesSchema.query(
        hub,
        "SELECT node_id, peer_id, last_pushed, last_processed FROM ds_node_pointer"
            + " WHERE peer_id <> 'node-a' ORDER BY node_id, peer_id",
        row ->
            rows.add(
                "pointer "
                    + row.getString(1)
                    + " "
                    + row.getString(2)
                    + " "
                    + row.getLong(3)
                    + " "
                    + row.getLong(4)));
    NotesSchema.query(
        hub,
        "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'",
        row -> rows.add("tables " + row.getLong(1)));
    return rows;
  }
}
