package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a load sizes its chunks: by the bytes of the rows, up to the rows configured. */
class ChunkReaderTest {

  @Test
  void narrowRowsTravelInChunksOfTheMostRowsAndWideOnesInChunksOfAboutFourMebibytes() {
    List<Row> narrow = rows(200, 40, 0);
    assertThat(ChunkReader.limit(narrow, 5_000)).isEqualTo(5_000);
    assertThat(ChunkReader.limit(narrow, 10_000)).isEqualTo(10_000);

    List<Row> texts = rows(50, 100_000, 0); // 100 kB of text a row
    assertThat(ChunkReader.limit(texts, 5_000)).isBetween(38, 42);

    List<Row> blobs = rows(5, 0, 1_000_000); // a MB of bytes a row, sent as 1.33 MB of base64
    assertThat(ChunkReader.limit(blobs, 5_000)).isEqualTo(3);

    List<Row> huge = rows(2, 0, 64 << 20);
    assertThat(ChunkReader.limit(huge, 5_000)).isEqualTo(1);
  }

  @Test
  void theFirstChunkIsSmallThenEachIsSizedByTheRowsBeforeItAndEveryRowComesOnceInOrder() {
    List<Row> table = new ArrayList<>(rows(700, 40, 0));
    table.addAll(rows(300, 200_000, 0).stream().map(row -> renumber(row, 700)).toList());
    Hub hub = new Hub(table);
    List<Row> read = new ArrayList<>();
    List<Boolean> lasts = new ArrayList<>();
    try (ChunkReader reader =
        new ChunkReader(hub, "node-n", "load-1", "note", 400, ChunkReaderTest::key, null)) {
      boolean last = false;
      while (!last) {
        ChunkReader.Chunk chunk = reader.next();
        read.addAll(chunk.rows());
        last = chunk.last();
        lasts.add(last);
      }
    }
    assertThat(read).containsExactlyElementsOf(table);
    // 100 narrow rows first; then the most rows until the wide ones come; then about 20 a chunk
    assertThat(hub.limits.subList(0, 3)).containsExactly(100, 400, 400);
    assertThat(hub.limits.get(hub.limits.size() - 1)).isBetween(19, 22);
    assertThat(lasts).containsOnlyOnce(true).last().isEqualTo(true);
  }

  @Test
  void aTableThatEndsWithAFullChunkEndsWithAnEmptyOne() {
    Hub hub = new Hub(rows(100, 10, 0));
    try (ChunkReader reader =
        new ChunkReader(hub, "node-n", "load-1", "note", 5_000, ChunkReaderTest::key, null)) {
      ChunkReader.Chunk first = reader.next();
      assertThat(first.rows()).hasSize(100);
      assertThat(first.last()).isFalse();
      ChunkReader.Chunk second = reader.next();
      assertThat(second.rows()).isEmpty();
      assertThat(second.last()).isTrue();
    }
    assertThat(hub.limits).containsExactly(100, 5_000);
  }

  /** Rows keyed 0 to count - 1, with a text and a bytes column of the given sizes. */
  private static List<Row> rows(int count, int textChars, int bytes) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Param> values = new LinkedHashMap<>();
      values.put("id", new Param(ParamType.LONG, (long) i));
      values.put(
          "title",
          new Param(ParamType.STRING, String.join("", Collections.nCopies(textChars, "x"))));
      values.put(
          "data",
          bytes == 0 ? Param.nullOf("VARBINARY") : new Param(ParamType.BYTES, new byte[bytes]));
      rows.add(new Row(values));
    }
    return rows;
  }

  private static Row renumber(Row row, long by) {
    return row.with("id", (Long) row.get("id") + by);
  }

  private static List<String> key(Row row) {
    return List.of(String.valueOf(row.get("id")));
  }

  /** A hub that serves one table from memory, in key order, and notes each chunk's limit. */
  private static final class Hub implements LoadSource {
    private final List<Row> table;
    final List<Integer> limits = Collections.synchronizedList(new ArrayList<>());

    Hub(List<Row> table) {
      this.table = table;
    }

    @Override
    public String nodeId() {
      return "hub";
    }

    @Override
    public LoadStart open(String requester, List<String> tables) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Row> chunk(
        String requester, String loadId, String table, List<String> after, int limit) {
      limits.add(limit);
      long from = after == null ? 0 : Long.parseLong(after.get(0)) + 1;
      List<Row> chunk = new ArrayList<>();
      for (Row row : this.table) {
        if ((Long) row.get("id") >= from && chunk.size() < limit) {
          chunk.add(row);
        }
      }
      return chunk;
    }

    @Override
    public void close(String requester, String loadId) {}
  }
}
