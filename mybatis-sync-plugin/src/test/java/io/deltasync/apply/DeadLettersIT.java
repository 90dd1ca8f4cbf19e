package io.deltasync.apply;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** {@link DeadLettersScenarios} with node-b on PostgreSQL (one embedded server for the JVM). */
class DeadLettersIT extends DeadLettersScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.postgres(name);
  }
}
