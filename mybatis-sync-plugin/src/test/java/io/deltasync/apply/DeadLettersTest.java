package io.deltasync.apply;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** {@link DeadLettersScenarios} with node-b on H2. */
class DeadLettersTest extends DeadLettersScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.h2(name);
  }
}
