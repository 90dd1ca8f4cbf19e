package io.deltasync.store;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** {@link RetentionPurgeScenarios} with the hub on H2. */
class RetentionPurgeTest extends RetentionPurgeScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.h2(name);
  }
}
