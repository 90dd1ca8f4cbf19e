package io.deltasync.ship.hostile;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** A hostile client against a hub on PostgreSQL. */
class HostileClientPostgresIT extends HostileClientSuite {

  @Override
  TestDatabase hubDatabase() {
    return TestDatabases.postgres("hostile_hub");
  }
}
