package io.deltasync.console;

import io.deltasync.console.support.TestHub;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/** The admin actions with the hub on PostgreSQL (embedded, real server). */
class ConsoleActionsPostgresIT extends ConsoleActionsScenario {

  @BeforeAll
  static void startHub() {
    TestDatabase db = TestDatabases.postgres("actions_pg_hub");
    hub = TestHub.start("actions_pg", List.of(db.jdbcUrl(), db.user(), db.password()), 5964);
  }
}
