package io.deltasync.ship.hostile;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** A hostile client against a hub on MariaDB. */
class HostileClientMariaDbIT extends HostileClientSuite {

  @Override
  TestDatabase hubDatabase() {
    return TestDatabases.mariadb("hostile_hub");
  }
}
