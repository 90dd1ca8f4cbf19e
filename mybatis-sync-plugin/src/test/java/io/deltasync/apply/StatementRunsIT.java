package io.deltasync.apply;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** {@link StatementRunsScenarios} with the hub on PostgreSQL (one embedded server for the JVM). */
class StatementRunsIT extends StatementRunsScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.postgres(name);
  }
}
