package io.deltasync.ship.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultPropertiesPropertySource;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

class ShipRoutesEnvironmentPostProcessorTest {

  private final ShipRoutesEnvironmentPostProcessor processor =
      new ShipRoutesEnvironmentPostProcessor();

  @Test
  void loadsTheTemplatesTheListedRoutesAndCamelsDefaults() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("deltasync.ship.routes", "classpath:a.camel.yaml,classpath:b.camel.yaml");

    processor.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty(ShipRoutesEnvironmentPostProcessor.CAMEL_KEY))
        .isEqualTo(
            ShipRoutesEnvironmentPostProcessor.TEMPLATES
                + ",classpath:a.camel.yaml,classpath:b.camel.yaml,"
                + ShipRoutesEnvironmentPostProcessor.CAMEL_DEFAULT);
  }

  @Test
  void givesTheDeadLetterUriADefaultTheTemplatesCanResolve() {
    MockEnvironment environment = new MockEnvironment();

    processor.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty("deltasync.ship.dead-letter-uri"))
        .isEqualTo("log:io.deltasync.ship.dead-letter?level=WARN&showBody=false");
  }

  @Test
  void keepsTheDeadLetterUriTheApplicationSets() {
    MockEnvironment environment =
        new MockEnvironment().withProperty("deltasync.ship.dead-letter-uri", "file:/var/dead");

    processor.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty("deltasync.ship.dead-letter-uri"))
        .isEqualTo("file:/var/dead");
  }

  @Test
  void keepsTheDeadLetterUriTheApplicationGivesAsADefaultProperty() {
    MockEnvironment environment = new MockEnvironment();
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                DefaultPropertiesPropertySource.NAME,
                Map.of("deltasync.ship.dead-letter-uri", "file:/var/dead", "other", "kept")));

    processor.postProcessEnvironment(environment, new SpringApplication());
    DefaultPropertiesPropertySource.moveToEnd(environment); // as Spring Boot does next

    assertThat(environment.getProperty("deltasync.ship.dead-letter-uri"))
        .isEqualTo("file:/var/dead");
    assertThat(environment.getProperty("other")).isEqualTo("kept");
  }

  @Test
  void givesTheRequestExecutorAThreadForEachHeldPullAndSpares() {
    MockEnvironment defaults = new MockEnvironment();
    MockEnvironment fewer =
        new MockEnvironment().withProperty("deltasync.ship.max-held-pulls", "4");
    MockEnvironment own =
        new MockEnvironment().withProperty("spring.task.execution.pool.core-size", "200");

    for (MockEnvironment environment : List.of(defaults, fewer, own)) {
      processor.postProcessEnvironment(environment, new SpringApplication());
    }

    assertThat(defaults.getProperty("spring.task.execution.pool.core-size")).isEqualTo("80");
    assertThat(fewer.getProperty("spring.task.execution.pool.core-size")).isEqualTo("20");
    assertThat(own.getProperty("spring.task.execution.pool.core-size")).isEqualTo("200");
  }

  @Test
  void addsNothingWhenShippingIsDisabled() {
    MockEnvironment environment =
        new MockEnvironment().withProperty("deltasync.ship.enabled", "false");

    processor.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty(ShipRoutesEnvironmentPostProcessor.CAMEL_KEY)).isNull();
    assertThat(environment.getProperty("deltasync.ship.dead-letter-uri")).isNull();
  }
}
