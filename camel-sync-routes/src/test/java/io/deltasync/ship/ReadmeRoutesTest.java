package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.autoconfigure.DeltaSyncShipAutoConfiguration;
import io.deltasync.ship.autoconfigure.DeltaSyncShipProperties;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The route files in this module's README are the shipped ones, and the root README's configuration
 * examples bind.
 */
class ReadmeRoutesTest {

  private static final Path ROOT = Path.of("..");
  private static final Path EXAMPLES = Path.of("src/main/resources/deltasync/examples");
  private static final Pattern FILE_BLOCK =
      Pattern.compile("<!-- file: (\\S+) -->\\n```yaml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyRouteFileInTheReadmeIsTheShippedFileVerbatim() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Matcher blocks = FILE_BLOCK.matcher(readme);
    List<String> shown = new ArrayList<>();
    while (blocks.find()) {
      Path file = ROOT.resolve(blocks.group(1));
      assertThat(blocks.group(2)).as(blocks.group(1)).isEqualTo(Files.readString(file));
      shown.add(file.getFileName().toString());
    }
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      assertThat(shown)
          .containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString()).toList());
    }
  }

  @Test
  void theReadmesClientAndHubConfigurationsBindAndNameExistingRouteFiles() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher blocks =
        Pattern.compile("```properties\\n(# (?:a client|its hub)\\n.*?)```", Pattern.DOTALL)
            .matcher(readme);
    int checked = 0;
    while (blocks.find()) {
      Properties properties = new Properties();
      properties.load(new StringReader(blocks.group(1)));
      List<String> pairs = new ArrayList<>();
      properties.forEach(
          (key, value) ->
              pairs.add(
                  key
                      + "="
                      + value
                          .toString()
                          .replaceAll("\\$\\{[A-Z_]+}", "a-secret-of-16-bytes-or-more")));
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataSourceAutoConfiguration.class,
                  DeltaSyncNodeAutoConfiguration.class,
                  DeltaSyncShipAutoConfiguration.class))
          .withPropertyValues(
              "spring.datasource.url=" + TestDatabases.h2("readme_" + checked).migrate().jdbcUrl(),
              "spring.datasource.username=sa")
          .withPropertyValues(pairs.toArray(String[]::new))
          .run(
              context -> {
                assertThat(context).hasNotFailed().hasBean("deltasync");
                DeltaSyncShipProperties ship = context.getBean(DeltaSyncShipProperties.class);
                assertThat(ship.getRoutes()).isNotEmpty();
                for (String route : ship.getRoutes()) {
                  assertThat(new DefaultResourceLoader().getResource(route).exists())
                      .as(route)
                      .isTrue();
                }
              });
      checked++;
    }
    assertThat(checked).isEqualTo(2);
  }
}
