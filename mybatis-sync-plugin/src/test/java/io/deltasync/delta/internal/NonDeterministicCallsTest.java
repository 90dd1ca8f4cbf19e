package io.deltasync.delta.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NonDeterministicCallsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          UPDATE item SET updated = now() WHERE id = ?                       | now
          UPDATE item SET updated = NOW ( ) WHERE id = ?                     | now
          UPDATE item SET updated = CURRENT_TIMESTAMP WHERE id = ?           | current_timestamp
          UPDATE item SET updated = current_timestamp(3) WHERE id = ?        | current_timestamp
          INSERT INTO item (id, day) VALUES (?, CURRENT_DATE)                | current_date
          INSERT INTO item (id, at) VALUES (?, LocalTimestamp)               | localtimestamp
          INSERT INTO item (id, at) VALUES (?, SYSDATE())                    | sysdate
          UPDATE item SET score = random() WHERE id = ?                      | random
          UPDATE item SET score = RAND() WHERE id = ?                        | rand
          UPDATE item SET token = uuid() WHERE id = ?                        | uuid
          UPDATE item SET token = gen_random_uuid()::text WHERE id = ?       | gen_random_uuid
          UPDATE item SET token = RANDOM_UUID() WHERE id = ?                 | random_uuid
          UPDATE item SET token = NEWID() WHERE id = ?                       | newid
          INSERT INTO item (id, n) VALUES (?, nextval('order_seq'))          | nextval
          INSERT INTO item (id, n) VALUES (?, NEXTVAL(order_seq))            | nextval
          INSERT INTO item (id, n) VALUES (?, NEXT VALUE FOR order_seq)      | next value for
          INSERT INTO item (id, n) VALUES (?, order_seq.NEXTVAL)             | nextval
          INSERT INTO item (id, n) VALUES (?, currval('order_seq'))          | currval
          UPDATE item SET updated = pg_catalog.now() WHERE id = ?            | now
          UPDATE item SET a = now(), b = rand() WHERE id = ?                 | now,rand
          """)
  void findsCallsInEveryDialectsSpelling(String sql, String names) {
    assertThat(NonDeterministicCalls.in(sql)).containsExactly(names.split(","));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          UPDATE item SET name = 'now()' WHERE qty > ?
          UPDATE item SET name = 'it''s now() or CURRENT_TIMESTAMP' WHERE id = ?
          UPDATE item SET "now" = ? WHERE id = ?
          UPDATE item SET `rand` = ? WHERE id = ?
          UPDATE item SET now = ?, rand = ?, uuid = ? WHERE id = ?
          UPDATE item SET updated = ? WHERE id = ? -- now()
          UPDATE item SET updated = ? /* random() */ WHERE id = ?
          UPDATE item SET now_count = ?, random_seed = ? WHERE id = ?
          UPDATE item SET at = t.localtime WHERE id = ?
          UPDATE item SET token = CAST(? AS uuid) WHERE id = ?
          UPDATE item SET next = ? WHERE id = ?
          """)
  void doesNotTakeLiteralsNamesOrCommentsForCalls(String sql) {
    assertThat(NonDeterministicCalls.in(sql)).isEqualTo(List.of());
  }
}
