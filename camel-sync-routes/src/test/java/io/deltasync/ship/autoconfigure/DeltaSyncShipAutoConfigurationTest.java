package io.deltasync.ship.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.DeltaSyncComponent;
import io.deltasync.ship.ShipCounters;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

class DeltaSyncShipAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataSourceAutoConfiguration.class,
                  DeltaSyncNodeAutoConfiguration.class,
                  DeltaSyncShipAutoConfiguration.class))
          .withPropertyValues(
              "spring.datasource.url=" + TestDatabases.h2("ship_autoconfigure").migrate().jdbcUrl(),
              "spring.datasource.username=sa",
              "deltasync.node.id=node-a");

  @Test
  void registersTheComponentUnderTheNameDeltasync() {
    runner
        .withPropertyValues("deltasync.ship.peers.hub.secret=0123456789abcdef")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean("deltasync")).isInstanceOf(DeltaSyncComponent.class);
              assertThat(context).hasSingleBean(ShipCounters.class);
            });
  }

  @Test
  void failsAtStartupNamingATooShortSecret() {
    runner
        .withPropertyValues("deltasync.ship.peers.hub.secret=short")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessage(
                        "deltasync.ship.peers.hub.secret must be at least 16 bytes, but was 5"));
  }

  @Test
  void backsOffWhenShippingIsDisabled() {
    runner
        .withPropertyValues("deltasync.ship.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(DeltaSyncComponent.class));
  }

  @Test
  void pointsCamelAtTheTemplatesTheRouteFilesAndCamelsOwnDefaults() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty(
                "deltasync.ship.routes", "classpath:deltasync/examples/http-push.camel.yaml");

    new ShipRoutesEnvironmentPostProcessor().postProcessEnvironment(environment, null);

    assertThat(environment.getProperty("camel.main.routes-include-pattern"))
        .isEqualTo(
            "classpath:deltasync/templates/*.camel.yaml,"
                + "classpath:deltasync/examples/http-push.camel.yaml,"
                + "classpath:camel/*,classpath:camel-template/*,classpath:camel-rest/*");
  }

  @Test
  void keepsThePatternTheApplicationSetItself() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("camel.main.routes-include-pattern", "file:/etc/app/routes/*.yaml");

    new ShipRoutesEnvironmentPostProcessor().postProcessEnvironment(environment, null);

    assertThat(environment.getProperty("camel.main.routes-include-pattern"))
        .isEqualTo("classpath:deltasync/templates/*.camel.yaml,file:/etc/app/routes/*.yaml");
  }

  @Test
  void refusesAnEmbeddedBrokerThatForgetsQueuedBatchesWhenJmsRoutesAreLoaded() {
    DeltaSyncShipProperties properties = new DeltaSyncShipProperties();
    properties.setRoutes(List.of("classpath:deltasync/examples/jms-send.camel.yaml"));
    var check =
        new DeltaSyncShipAutoConfiguration.BrokerPersistenceConfiguration()
            .deltasyncBrokerPersistence(properties);

    assertThatThrownBy(
            () ->
                check.customize(
                    new org.apache.activemq.artemis.core.config.impl.ConfigurationImpl()
                        .setPersistenceEnabled(false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set spring.artemis.embedded.persistent=true");
    check.customize(
        new org.apache.activemq.artemis.core.config.impl.ConfigurationImpl()
            .setPersistenceEnabled(true));
    properties.setRoutes(List.of("classpath:deltasync/examples/http-push.camel.yaml"));
    check.customize(
        new org.apache.activemq.artemis.core.config.impl.ConfigurationImpl()
            .setPersistenceEnabled(false));
  }
}
