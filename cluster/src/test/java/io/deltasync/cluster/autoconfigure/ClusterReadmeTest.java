package io.deltasync.cluster.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.deltasync.cluster.ClusterSettings;
import io.deltasync.cluster.NodeRole;
import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.MetadataKeys;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The module's README is true: its example starts a member, its table has every key. */
class ClusterReadmeTest {

  private static final Path README = Path.of("README.md");
  private static final String SECTION = "# cluster: nodes, pointers and leadership";

  @Test
  void theExamplePropertiesStartAHubMemberWithTheirTimes() throws IOException {
    Properties example = example();
    List<String> pairs = new ArrayList<>();
    example.forEach((key, value) -> pairs.add(key + "=" + value));

    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DeltaSyncClusterAutoConfiguration.class, DeltaSyncNodeAutoConfiguration.class))
        .withBean(DataSource.class, () -> TestDatabases.h2("cluster-readme").migrate().dataSource())
        .withPropertyValues(pairs.toArray(String[]::new))
        // this machine is not 10.0.0.11: join a cluster of one on loopback instead
        .withPropertyValues(
            "deltasync.cluster.cluster-name=" + DeltaSyncClusterAutoConfigurationTest.uniqueName(),
            "deltasync.cluster.members=127.0.0.1:5770",
            "deltasync.cluster.port=5770")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ClusterSettings settings = context.getBean(ClusterSettings.class);
              assertThat(settings.nodeId()).isEqualTo("hub");
              assertThat(settings.role()).isEqualTo(NodeRole.HUB);
              assertThat(settings.staleAfter()).isEqualTo(Duration.ofSeconds(15));
              assertThat(settings.offlineAfter()).isEqualTo(Duration.ofMinutes(2));
              assertThat(
                      context
                          .getBean(HazelcastInstance.class)
                          .getConfig()
                          .getProperty("hazelcast.max.no.heartbeat.seconds"))
                  .isEqualTo("5");
            });
  }

  @Test
  void theExampleHasNoKeyThatDoesNotExist() throws IOException {
    Properties example = example();
    example.remove("deltasync.node.id");

    new Binder(new MapConfigurationPropertySource(example))
        .bind(
            "deltasync.cluster",
            Bindable.of(DeltaSyncClusterProperties.class),
            new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
    assertThat(example).containsKey("deltasync.cluster.members");
  }

  @Test
  void theTableListsExactlyTheKeysThereAre() throws IOException {
    Set<String> documented = new TreeSet<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `(deltasync\\.cluster\\.[a-z-]+)` \\|").matcher(section());
    while (row.find()) {
      documented.add(row.group(1));
    }

    assertThat(documented).isEqualTo(metadataKeys());
  }

  private static Set<String> metadataKeys() throws IOException {
    Set<String> keys = MetadataKeys.matching("deltasync\\.cluster\\.[a-z-]+");
    assertThat(keys).as("keys in the configuration metadata").hasSizeGreaterThan(10);
    return keys;
  }

  private static Properties example() throws IOException {
    String section = section();
    int start = section.indexOf("```properties\n");
    int end = section.indexOf("```", start + 3);
    assertThat(start).as("a properties example in the cluster section").isNotNegative();
    Properties properties = new Properties();
    properties.load(new StringReader(section.substring(start + "```properties\n".length(), end)));
    return properties;
  }

  private static String section() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf(SECTION);
    assertThat(start).as(SECTION).isNotNegative();
    return readme.substring(start, readme.indexOf("\n## ", start + SECTION.length()));
  }
}
