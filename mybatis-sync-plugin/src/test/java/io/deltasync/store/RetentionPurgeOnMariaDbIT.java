package io.deltasync.store;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** {@link RetentionPurgeScenarios} with the hub on MariaDB (one embedded server for the JVM). */
class RetentionPurgeOnMariaDbIT extends RetentionPurgeScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.mariadb(name);
  }
}
