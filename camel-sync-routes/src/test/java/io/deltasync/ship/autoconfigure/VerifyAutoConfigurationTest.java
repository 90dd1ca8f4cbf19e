package io.deltasync.ship.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.schema.TestDatabases;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every node answers verify requests; a client with an upstream URL gets a Verifier for it. */
class VerifyAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataSourceAutoConfiguration.class,
                  DeltaSyncNodeAutoConfiguration.class,
                  DeltaSyncShipAutoConfiguration.class))
          .withPropertyValues(
              "spring.datasource.url="
                  + TestDatabases.h2("verify_autoconfigure").migrate().jdbcUrl(),
              "spring.datasource.username=sa");

  @Test
  void aHubAnswersVerifyRequestsAndVerifiesNothingItself() {
    runner
        .withPropertyValues(
            "deltasync.node.id=hub", "deltasync.ship.peers.node-a.secret=0123456789abcdef")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(HubVerifier.class);
              assertThat(context).doesNotHaveBean(Verifier.class);
            });
  }

  @Test
  void aClientWithAnUpstreamUrlGetsAVerifierForItsHub() {
    runner
        .withPropertyValues(
            "deltasync.node.id=node-a",
            "deltasync.node.upstream=hub",
            "deltasync.ship.upstream-url=http://localhost:1",
            "deltasync.ship.peers.hub.secret=0123456789abcdef")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(Verifier.class);
            });
  }
}
