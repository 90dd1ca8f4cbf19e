package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.conflict.Row;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chunk of a range this node held no row of is written with plain INSERTs; when a row of the
 * node's own is there after all (it came in after the range was read, or the two databases order a
 * text key differently), the chunk is upserted instead, in the same transaction, and nothing else
 * of it is lost.
 */
class ChunkWritesIT {

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void aRangeThoughtEmptyThatHoldsARowIsUpsertedInstead(String kind) throws Exception {
    TestDatabase db =
        switch (kind) {
          case "h2" -> TestDatabases.h2("chunk_writes");
          case "postgresql" -> TestDatabases.postgres("chunk_writes");
          default -> TestDatabases.mariadb("chunk_writes");
        };
    try {
      db.execute("CREATE TABLE shelf (id BIGINT PRIMARY KEY, label VARCHAR(40) NOT NULL)");
      db.execute("INSERT INTO shelf VALUES (2, 'the node''s own')");
      try (Connection connection = db.dataSource().getConnection()) {
        connection.setAutoCommit(false);
        TableShape shape = TableShape.of(connection, "shelf", NameFilter.ALL);
        ChunkWriter.write(
            connection,
            shape,
            List.of(shelf(1, "hub 1"), shelf(2, "hub 2"), shelf(3, "hub 3")),
            true);
        ChunkWriter.write(connection, shape, List.of(shelf(4, "hub 4"), shelf(5, "hub 5")), true);
        connection.commit();
        assertThat(labels(connection)).containsExactly("hub 1", "hub 2", "hub 3", "hub 4", "hub 5");
      }
    } finally {
      db.close();
    }
  }

  private static Row shelf(long id, String label) {
    Map<String, Param> values = new LinkedHashMap<>();
    values.put("id", new Param(ParamType.LONG, id));
    values.put("label", new Param(ParamType.STRING, label));
    return new Row(values);
  }

  private static List<String> labels(Connection connection) throws Exception {
    List<String> labels = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT label FROM shelf ORDER BY id")) {
      while (rows.next()) {
        labels.add(rows.getString(1));
      }
    }
    return labels;
  }
}
