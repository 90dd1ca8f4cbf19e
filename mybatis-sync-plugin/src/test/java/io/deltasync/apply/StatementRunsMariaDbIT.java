package io.deltasync.apply;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** {@link StatementRunsScenarios} with the hub on MariaDB (one embedded server for the JVM). */
class StatementRunsMariaDbIT extends StatementRunsScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.mariadb(name);
  }
}
