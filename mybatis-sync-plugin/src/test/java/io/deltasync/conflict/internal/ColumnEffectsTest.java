package io.deltasync.conflict.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which changes of one row commute, read from their SQL. */
class ColumnEffectsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "UPDATE item SET qty = qty - ? WHERE id = ? | UPDATE item SET qty = qty - ? WHERE id = ?",
        "UPDATE ITEM SET QTY = QTY - ? WHERE ID = ? | UPDATE item SET qty = qty + ? WHERE id = ?",
        "UPDATE item SET qty = ? + qty WHERE id = ? | UPDATE item SET qty = (qty - 2) - ? WHERE id = ?",
        "UPDATE account SET email = ? WHERE id = ? | UPDATE account SET address = ? WHERE id = ?",
        "UPDATE item SET qty = qty - ?, sold = sold + ? WHERE id = ? | UPDATE item SET name = ? WHERE id = ?"
      })
  void changesOfDifferentColumnsOrAdditiveOnBothSidesCommute(String one, String other) {
    assertThat(effects(one).commutesWith(effects(other))).isTrue();
    assertThat(effects(other).commutesWith(effects(one))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // an absolute write racing an additive one on the same column
        "UPDATE item SET qty = ? WHERE id = ? | UPDATE item SET qty = qty - ? WHERE id = ?",
        "UPDATE account SET email = ? WHERE id = ? | UPDATE account SET email = ? WHERE id = ?",
        // one reads what the other writes
        "UPDATE item SET total = qty * price WHERE id = ? | UPDATE item SET qty = qty - ? WHERE id = ?",
        "UPDATE account SET email = ?, version = version + 1 WHERE id = ? AND version = ?"
            + " | UPDATE account SET address = ?, version = version + 1 WHERE id = ? AND version = ?",
        // subtracting from a column is not adding to it
        "UPDATE item SET qty = ? - qty WHERE id = ? | UPDATE item SET qty = qty - ? WHERE id = ?",
        "UPDATE item SET qty = qty * 2 WHERE id = ? | UPDATE item SET qty = qty + ? WHERE id = ?"
      })
  void changesThatDependOnTheirOrderConflict(String one, String other) {
    assertThat(effects(one).commutesWith(effects(other))).isFalse();
    assertThat(effects(other).commutesWith(effects(one))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE item SET qty = (SELECT max(qty) FROM item) WHERE id = ?",
        "INSERT INTO item (id, qty) VALUES (?, ?)",
        "DELETE FROM item WHERE id = ?",
        "UPDATE item SET qty = qty - 1, qty = qty - 2 WHERE id = ?",
        "not sql at all"
      })
  void statementsItCannotReadThatWayHaveNoEffects(String sql) {
    assertThat(ColumnEffects.of(sql)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"UPDATE ITEM SET QTY = QTY - ?, NAME = ? WHERE ID = ? | qty,name | qty | id"})
  void readsWritesAdditiveColumnsAndReadsInLowerCase(
      String sql, String writes, String additive, String reads) {
    ColumnEffects effects = effects(sql);
    assertThat(effects.writes()).isEqualTo(Set.of(writes.split(",")));
    assertThat(effects.additive()).isEqualTo(Set.of(additive.split(",")));
    assertThat(effects.reads()).isEqualTo(Set.of(reads.split(",")));
  }

  private static ColumnEffects effects(String sql) {
    return ColumnEffects.of(sql).orElseThrow(() -> new AssertionError("no effects for " + sql));
  }
}
