package io.deltasync.conflict.shop;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** The shop with a PostgreSQL hub, an H2 client and a MariaDB client (case-sensitive names). */
class ShopOnPostgresHubIT extends ShopConvergenceSuite {

  @Override
  TestDatabase hubDatabase() {
    return TestDatabases.postgres("shop_hub");
  }

  @Override
  TestDatabase clientADatabase() {
    return TestDatabases.h2("shop_a");
  }

  @Override
  TestDatabase clientBDatabase() {
    return TestDatabases.mariadb("shop_b");
  }
}
