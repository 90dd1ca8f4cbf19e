package io.deltasync.conflict.shop;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;

/** The shop with a MariaDB hub (case-sensitive names), a PostgreSQL and an H2 client. */
class ShopOnMariaDbHubIT extends ShopConvergenceSuite {

  @Override
  TestDatabase hubDatabase() {
    return TestDatabases.mariadb("shop_hub");
  }

  @Override
  TestDatabase clientADatabase() {
    return TestDatabases.postgres("shop_a");
  }

  @Override
  TestDatabase clientBDatabase() {
    return TestDatabases.h2("shop_b");
  }
}
