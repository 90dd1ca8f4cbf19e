package io.deltasync.store;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** {@link DeltaMaintenanceScenarios} with the hub on H2. */
class DeltaMaintenanceTest extends DeltaMaintenanceScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.h2(name);
  }
}
