package io.deltasync.console;

import io.deltasync.console.demo.DemoSystem;
import io.deltasync.console.support.TestHub;
import org.junit.jupiter.api.BeforeAll;

/** The admin actions with the hub on H2. */
class ConsoleActionsH2IT extends ConsoleActionsScenario {

  @BeforeAll
  static void startHub() {
    hub = TestHub.start("actions_h2", DemoSystem.h2("actions_h2_hub"), 5963);
  }
}
