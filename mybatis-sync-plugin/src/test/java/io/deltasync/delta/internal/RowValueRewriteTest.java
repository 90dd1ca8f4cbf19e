package io.deltasync.delta.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.internal.RowValueRewrite.Result;
import io.deltasync.delta.internal.RowValueRewrite.Slot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowValueRewriteTest {

  private static final List<String> ID = List.of("id");

  private static Slot param(int index) {
    return new Slot(index, null);
  }

  private static Slot column(String name) {
    return new Slot(-1, name);
  }

  @Test
  void insertTakesTheInsertedValueAsAParameter() {
    Result result =
        RowValueRewrite.of("INSERT INTO item (id, name, updated) VALUES (?, ?, now())", ID);

    assertThat(result.refusal()).isNull();
    assertThat(result.sql()).isEqualTo("INSERT INTO item (id, name, updated) VALUES (?, ?, ?)");
    assertThat(result.slots()).containsExactly(param(0), param(1), column("updated"));
    assertThat(result.key()).containsExactly(new SqlShape.Value(0, null));
    assertThat(result.readsRow()).isTrue();
  }

  @Test
  void updateByKeyKeepsItsOtherExpressions() {
    Result result =
        RowValueRewrite.of(
            "UPDATE item SET qty = qty + ?, updated = CURRENT_TIMESTAMP WHERE id = ?", ID);

    assertThat(result.sql()).isEqualTo("UPDATE item SET qty = qty + ?, updated = ? WHERE id = ?");
    assertThat(result.slots()).containsExactly(param(0), column("updated"), param(1));
  }

  @Test
  void aCallInsideALargerExpressionGivesTheWholeValue() {
    Result result =
        RowValueRewrite.of(
            "UPDATE item SET score = floor(rand() * ?), name = ? WHERE id = ? AND qty = ?", ID);

    assertThat(result.sql())
        .isEqualTo("UPDATE item SET score = ?, name = ? WHERE id = ? AND qty = ?");
    assertThat(result.slots()).containsExactly(column("score"), param(1), param(2), param(3));
  }

  @Test
  void aCallInTheWhereClauseGivesWayToTheKeyMatch() {
    Result update =
        RowValueRewrite.of("UPDATE session SET token = ? WHERE expires > now() AND id = ?", ID);
    Result delete = RowValueRewrite.of("DELETE FROM session WHERE id = ? AND expires < now()", ID);

    assertThat(update.sql()).isEqualTo("UPDATE session SET token = ? WHERE id = ?");
    assertThat(update.slots()).containsExactly(param(0), param(1));
    assertThat(update.readsRow()).isFalse();
    assertThat(delete.sql()).isEqualTo("DELETE FROM session WHERE id = ?");
    assertThat(delete.slots()).containsExactly(param(0));
  }

  @Test
  void compositeAndLiteralKeysArePinnedToo() {
    Result result =
        RowValueRewrite.of(
            "UPDATE line SET updated = now() WHERE order_id = ? AND line_no = 3",
            List.of("order_id", "line_no"));

    assertThat(result.sql())
        .isEqualTo("UPDATE line SET updated = ? WHERE order_id = ? AND line_no = 3");
    assertThat(result.key())
        .containsExactly(new SqlShape.Value(0, null), new SqlShape.Value(-1, "3"));
  }

  @Test
  void upsertsSetTheValueOnBothPaths() {
    Result postgres =
        RowValueRewrite.of(
            "INSERT INTO item (id, updated) VALUES (?, now())"
                + " ON CONFLICT (id) DO UPDATE SET updated = now()",
            ID);
    Result mariadb =
        RowValueRewrite.of(
            "INSERT INTO item (id, updated) VALUES (?, now())"
                + " ON DUPLICATE KEY UPDATE updated = now()",
            ID);

    assertThat(postgres.sql())
        .isEqualTo(
            "INSERT INTO item (id, updated) VALUES (?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET updated = ?");
    assertThat(postgres.slots()).containsExactly(param(0), column("updated"), column("updated"));
    assertThat(mariadb.sql())
        .isEqualTo(
            "INSERT INTO item (id, updated) VALUES (?, ?) ON DUPLICATE KEY UPDATE updated = ?");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          UPDATE item SET updated = now() WHERE qty > ?                        | does not pin one row
          UPDATE item SET updated = now() WHERE id = ? OR id = ?               | does not pin one row
          UPDATE item SET updated = now() WHERE id IN (?, ?)                   | does not pin one row
          DELETE FROM item WHERE updated < now()                               | does not pin one row
          INSERT INTO item (name, updated) VALUES (?, now())                   | each primary-key column
          INSERT INTO item (id, updated) VALUES (nextval('s'), now())          | each primary-key column
          INSERT INTO item (id, updated) VALUES (?, now()), (?, now())         | each primary-key column
          INSERT INTO item (id, updated) SELECT id, now() FROM other           | each primary-key column
          UPDATE item SET id = ?, updated = now() WHERE id = ?                 | changes primary-key column id
          UPDATE item i SET updated = now() FROM other o WHERE i.id = ?        | join or a FROM list
          INSERT INTO item (id, name) VALUES (?, ?) RETURNING now()            | no column of the row
          """)
  void refusesWhatItCannotPinToOneRowsValues(String sql, String reason) {
    Result result = RowValueRewrite.of(sql, ID);

    assertThat(result.sql()).isNull();
    assertThat(result.refusal()).contains(reason);
  }

  @Test
  void refusesTablesWithoutAPrimaryKey() {
    assertThat(RowValueRewrite.of("UPDATE log SET at = now() WHERE id = ?", List.of()).refusal())
        .contains("no primary key");
  }
}
