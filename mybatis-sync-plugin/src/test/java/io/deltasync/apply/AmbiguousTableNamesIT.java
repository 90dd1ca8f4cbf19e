package io.deltasync.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A database that tells apart table names differing only in case (PostgreSQL's quoted names,
 * MariaDB's case-sensitive ones) could let {@code "Note"} pass for the replicated {@code note}; the
 * applier refuses every delta naming such a table instead of guessing which one it means.
 */
class AmbiguousTableNamesIT {

  @Test
  void postgresQuotedMixedCaseTwinOfAReplicatedTableIsRefused() {
    assertTwinRefused(
        TestDatabases.postgres("ambiguous_pg"),
        "CREATE TABLE \"Note\" (id BIGINT PRIMARY KEY, title VARCHAR(200))",
        "\"Note\"");
  }

  @Test
  void mariadbCaseSensitiveTwinOfAReplicatedTableIsRefused() {
    assertTwinRefused(
        TestDatabases.mariadb("ambiguous_maria"),
        "CREATE TABLE `NOTE` (id BIGINT PRIMARY KEY, title VARCHAR(200))",
        "NOTE");
  }

  private static void assertTwinRefused(TestDatabase db, String createTwin, String twinRef) {
    NotesSchema.install(db);
    db.execute(createTwin, "INSERT INTO " + twinRef + " (id, title) VALUES (1, 'kept')");
    DeltaApplier hub =
        new DeltaApplier(db.dataSource(), "hub", new DeltaValidator(NameFilter.of("note", null)));
    Delta update =
        new Delta(
            DeltaIds.next(),
            "node-a",
            1,
            DeltaIds.next(),
            1L << 16,
            0,
            "test.Mapper.update",
            Kind.UPDATE,
            null,
            null,
            "UPDATE " + twinRef + " SET title = ? WHERE id = ?",
            List.of(new Param(ParamType.STRING, "overwritten"), new Param(ParamType.LONG, 1L)));

    ApplyResult result = hub.apply(new DeltaBatch("node-a", DeltaIds.next(), List.of(update)));

    assertThat(result.quarantined()).isEqualTo(1);
    assertThat(ApplyFixture.deadLetters(nodeOf(db)).get(0).reason())
        .contains("is ambiguous here: the database holds 2 tables whose names differ only in case");
    assertThat(
            NotesSchema.count(
                db.dataSource(), "SELECT COUNT(*) FROM " + twinRef + " WHERE title = 'kept'"))
        .isEqualTo(1);
  }

  private static io.deltasync.testing.TestNode nodeOf(TestDatabase db) {
    return new io.deltasync.testing.TestNode(db, null, null);
  }
}
