package io.deltasync.bench;

import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import org.apache.ibatis.session.ExecutorType;

/** Writes the benchmark's rows through a node's capturing MyBatis mapper, and checks them. */
final class Notes {

  static final String TITLE = "pipeline benchmark";

  private Notes() {}

  /**
   * Commits one transaction inserting ids {@code first .. first + rows - 1}: a SIMPLE executor for
   * one row, a BATCH executor (one JDBC batch) for more.
   */
  static void insert(TestNode writer, long first, int rows) {
    ExecutorType type = rows == 1 ? ExecutorType.SIMPLE : ExecutorType.BATCH;
    writer.inTransaction(
        type,
        notes -> {
          for (int i = 0; i < rows; i++) {
            notes.insert(new Note(first + i, TITLE));
          }
          return null;
        });
  }

  /**
   * Fails unless the node holds every id {@code first .. first + rows - 1} (ids are its primary
   * key, so each once) and {@code total} notes in all: nothing lost, nothing extra.
   */
  static void check(ShipNode node, long first, int rows, long total) {
    long count =
        NotesSchema.count(
            node.db().dataSource(),
            "SELECT COUNT(*) FROM note WHERE id BETWEEN " + first + " AND " + (first + rows - 1));
    long all = NotesSchema.count(node.db().dataSource(), "SELECT COUNT(*) FROM note");
    if (count != rows || all != total) {
      throw new IllegalStateException(
          String.format(
              "%s should hold the %,d rows %d..%d and %,d notes in all, but holds %,d of them and"
                  + " %,d notes",
              node.id(), rows, first, first + rows - 1, total, count, all));
    }
  }
}
