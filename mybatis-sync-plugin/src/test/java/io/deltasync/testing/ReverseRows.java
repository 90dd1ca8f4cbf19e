package io.deltasync.testing;

import io.deltasync.capture.SyncContext;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the reverse-load tests: a hub and a client that both hold notes 2 and 5 with other
 * values in several columns, note 1 equal on both, note 3 only on the hub, notes 4 and 6 and an
 * audit_log row only on the client, which wrote its rows before sync was enabled (nothing
 * captured).
 */
public final class ReverseRows {

  private static final LocalDateTime NOON = LocalDateTime.of(2026, 3, 1, 12, 0, 0);

  private ReverseRows() {}

  /** The hub's notes, captured as the hub's own writes. */
  public static void writeOnHub(TestNode hub) {
    hub.inTransaction(
        notes -> {
          notes.insert(note(1, "same one", "body", false, "1.10", NOON, null, new byte[] {1}));
          notes.insert(
              note(2, "hub two", null, false, "2.00", NOON, LocalDate.of(2026, 1, 2), null));
          notes.insert(note(3, "hub three", "only", true, "3.30", null, null, new byte[] {3}));
          return notes.insert(
              note(5, "hub five", "hub body", false, "5.00", NOON, null, new byte[] {5}));
        });
  }

  /** The client's rows, written with capture suppressed: it holds no delta of them. */
  public static void writeOffline(TestNode client) {
    SyncContext.suppressed(
        () ->
            client.inTransaction(
                notes -> {
                  notes.insert(
                      note(1, "same one", "body", false, "1.10", NOON, null, new byte[] {1}));
                  notes.insert(
                      note(
                          2,
                          "client two",
                          "client body",
                          false,
                          "2.50",
                          NOON.plusDays(1),
                          null,
                          new byte[] {2}));
                  notes.insert(
                      note(
                          4,
                          "client four",
                          null,
                          true,
                          "4.40",
                          NOON,
                          LocalDate.of(2026, 4, 4),
                          null));
                  notes.insert(
                      note(
                          5,
                          "client five",
                          null,
                          true,
                          "5.00",
                          NOON,
                          LocalDate.of(2026, 5, 5),
                          new byte[] {5}));
                  return notes.insert(
                      note(6, "client six", "six", false, "6.60", null, null, new byte[] {6, 6}));
                }));
    client.db().execute("INSERT INTO audit_log (id, message) VALUES (7, 'kept offline')");
  }

  /**
   * The notes both sides hold after a reverse load, as {@link NotesSchema#notes} lines: the union
   * of both, the winner's line where both hold a key.
   */
  public static List<String> merged(List<String> loser, List<String> winner) {
    Map<Long, String> rows = new java.util.TreeMap<>();
    for (List<String> side : List.of(loser, winner)) {
      side.forEach(line -> rows.put(Long.parseLong(line.substring(0, line.indexOf('|'))), line));
    }
    return List.copyOf(rows.values());
  }

  /** The line of one note among {@link NotesSchema#notes} lines. */
  public static String line(List<String> notes, long id) {
    Map<Long, String> rows = new LinkedHashMap<>();
    notes.forEach(line -> rows.put(Long.parseLong(line.substring(0, line.indexOf('|'))), line));
    return rows.get(id);
  }

  private static Note note(
      long id,
      String title,
      String body,
      boolean done,
      String amount,
      LocalDateTime createdAt,
      LocalDate dueDay,
      byte[] data) {
    Note note = new Note(id, title);
    note.body = body;
    note.done = done;
    note.amount = new BigDecimal(amount);
    note.createdAt = createdAt;
    note.dueDay = dueDay;
    note.data = data;
    return note;
  }
}
