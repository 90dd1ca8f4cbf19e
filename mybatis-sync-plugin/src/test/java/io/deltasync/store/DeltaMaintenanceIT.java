package io.deltasync.store;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/**
 * {@link DeltaMaintenanceScenarios} with the hub on PostgreSQL (one embedded server for the JVM).
 */
class DeltaMaintenanceIT extends DeltaMaintenanceScenarios {

  @Override
  TestDatabase database(String name) {
    return TestDatabases.postgres(name);
  }
}
