package io.deltasync.apply;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** {@link StatementRunsScenarios} with the hub on H2. */
class StatementRunsTest extends StatementRunsScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.h2(name);
  }
}
