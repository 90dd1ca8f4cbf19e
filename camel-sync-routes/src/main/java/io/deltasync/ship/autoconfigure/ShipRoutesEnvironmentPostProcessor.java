package io.deltasync.ship.autoconfigure;

import io.deltasync.ship.DeltaSyncComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.DefaultPropertiesPropertySource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points Camel at the DeltaSync route templates and at the files listed in {@code
 * deltasync.ship.routes}, by setting {@code camel.main.routes-include-pattern} (Camel 4 ignores the
 * older {@code camel.springboot.*} keys). Patterns the application sets itself are kept; when it
 * sets none, Camel's own default locations are kept too. Also supplies, with the lowest precedence,
 * the defaults of the {@code deltasync.ship.*} keys the templates read, since a placeholder default
 * holding a URI with query options is cut at its '?' by Camel.
 *
 * <p>Also sizes, unless the application does, Spring Boot's task executor, on which platform-http
 * runs every request: {@code deltasync.ship.max-held-pulls} plus 16 core threads (Boot's default is
 * 8, with an unbounded queue), so that the pulls a hub holds never keep pushes waiting. Idle
 * threads end after Boot's keep-alive. And logs platform-http's failures to write an answer only at
 * ERROR: a client that stops aborts the pull the hub holds, whose answer then finds the connection
 * gone.
 */
public class ShipRoutesEnvironmentPostProcessor implements EnvironmentPostProcessor {

  /** Where the route templates are. */
  public static final String TEMPLATES = "classpath:deltasync/templates/*.camel.yaml";

  static final String CAMEL_KEY = "camel.main.routes-include-pattern";
  static final String DEAD_LETTER_KEY = "deltasync.ship.dead-letter-uri";
  static final String HELD_PULLS_KEY = "deltasync.ship.max-held-pulls";
  static final String TASK_POOL_KEY = "spring.task.execution.pool.core-size";
  static final String PLATFORM_HTTP_LOG_KEY =
      "logging.level.org.apache.camel.component.platform.http.springboot"
          + ".SpringBootPlatformHttpConsumer";

  /** Request threads beyond the held pulls: for pushes, verify, the application's own. */
  static final int SPARE_THREADS = 16;

  static final String CAMEL_DEFAULT =
      "classpath:camel/*,classpath:camel-template/*,classpath:camel-rest/*";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getProperty("deltasync.ship.enabled", Boolean.class, true)
        || environment.getPropertySources().contains("deltasyncShipRoutes")) {
      return;
    }
    Binder binder = Binder.get(environment);
    List<String> patterns = new ArrayList<>();
    patterns.add(TEMPLATES);
    patterns.addAll(
        binder.bind("deltasync.ship.routes", Bindable.listOf(String.class)).orElse(List.of()));
    patterns.add(environment.getProperty(CAMEL_KEY, CAMEL_DEFAULT));
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "deltasyncShipRoutes", Map.of(CAMEL_KEY, String.join(",", patterns))));
    addDefaults(environment);
  }

  /**
   * Adds to Spring Boot's default properties, which always have the lowest precedence (Boot moves
   * them last after the post-processors run); a value the application's own default properties hold
   * wins.
   */
  private static void addDefaults(ConfigurableEnvironment environment) {
    Map<String, Object> defaults = new HashMap<>();
    defaults.put(DEAD_LETTER_KEY, DeltaSyncShipProperties.DEFAULT_DEAD_LETTER_URI);
    int held =
        environment.getProperty(
            HELD_PULLS_KEY, Integer.class, DeltaSyncComponent.DEFAULT_MAX_HELD_PULLS);
    defaults.put(TASK_POOL_KEY, Math.max(0, held) + SPARE_THREADS);
    // a pull whose client went away while the feed held it (the client stopped, which aborts its
    // pull) fails only when the answer is written: expected with long polls, not worth a warning
    defaults.put(PLATFORM_HTTP_LOG_KEY, "ERROR");
    if (environment.getPropertySources().get(DefaultPropertiesPropertySource.NAME)
        instanceof MapPropertySource existing) {
      defaults.putAll(existing.getSource());
    }
    DefaultPropertiesPropertySource.addOrMerge(defaults, environment.getPropertySources());
  }
}
