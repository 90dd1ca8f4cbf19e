package io.deltasync.store;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** {@link RetentionPurgeScenarios} with the hub on PostgreSQL (one embedded server for the JVM). */
class RetentionPurgeIT extends RetentionPurgeScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.postgres(name);
  }
}
