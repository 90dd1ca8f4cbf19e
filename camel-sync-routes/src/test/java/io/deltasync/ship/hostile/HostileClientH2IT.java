package io.deltasync.ship.hostile;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** A hostile client against a hub on H2. */
class HostileClientH2IT extends HostileClientSuite {

  @Override
  TestDatabase hubDatabase() {
    return TestDatabases.h2("hostile_hub");
  }
}
