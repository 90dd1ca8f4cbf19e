package io.deltasync.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.capture.autoconfigure.NoteApp;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.conflict.ConflictPolicy;
import io.deltasync.conflict.ConflictResolver;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.Kind;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.JdbcDeltaStore;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.junit.jupiter.api.Test;

/** The README's examples are true: they load, run and mean what the README says. */
class ReadmeExamplesTest {

  private static final Path README = Path.of("..", "README.md");

  /** This module's README, where the delta format is shown. */
  private static final Path MODULE_README = Path.of("README.md");

  /** The bodies of the READMEs' fenced blocks of one language, the root README's first. */
  static List<String> blocks(String language) throws IOException {
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    List<String> lines = new ArrayList<>(Files.readAllLines(README));
    lines.addAll(Files.readAllLines(MODULE_README));
    for (String line : lines) {
      if (block == null && line.equals("```" + language)) {
        block = new StringBuilder();
      } else if (block != null && line.equals("```")) {
        blocks.add(block.toString());
        block = null;
      } else if (block != null) {
        block.append(line).append('\n');
      }
    }
    return blocks;
  }

  private static String mybatisConfig() throws IOException {
    return blocks("xml").stream()
        .filter(b -> b.contains("<configuration>"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void showsTheExampleMybatisConfigUnchanged() throws IOException {
    String shipped =
        new String(
            ReadmeExamplesTest.class
                .getResourceAsStream("/example/mybatis-config.xml")
                .readAllBytes(),
            StandardCharsets.UTF_8);

    assertThat(mybatisConfig()).isEqualTo(shipped);
  }

  @Test
  void mybatisConfigRecordsChangesButNotExcludedStatements() throws IOException {
    TestDatabase db = TestDatabases.h2("readme").migrate();
    db.execute("CREATE TABLE todo (id VARCHAR(36) PRIMARY KEY, title VARCHAR(200), done BOOLEAN)");
    Properties variables = new Properties();
    variables.setProperty("nodeId", "node-a");
    variables.setProperty("url", db.jdbcUrl());

    SqlSessionFactory mybatis =
        new SqlSessionFactoryBuilder().build(new StringReader(mybatisConfig()), variables);
    try (SqlSession session = mybatis.openSession()) {
      session.getMapper(TodoMapper.class).add("t1", "Buy milk");
      session.getMapper(TodoMapper.class).finish("t1");
      session.commit();
    }

    DeltaSyncInterceptor plugin =
        (DeltaSyncInterceptor) mybatis.getConfiguration().getInterceptors().get(0);
    assertThat(plugin.settings().tables().exclude()).containsExactly("audit_*", "tmp_*");
    assertThat(plugin.settings().recordsTable("tmp_import")).isFalse();
    assertThat(plugin.settings().statements().selects("com.acme.Sessions.purgeExpiredNow"))
        .isFalse();
    List<Delta> deltas =
        new JdbcDeltaStore(db.dataSource(), "node-a").pendingFor("x", 0, 10).deltas();
    assertThat(deltas).extracting(Delta::kind).containsExactly(Kind.INSERT, Kind.UPDATE);
    assertThat(deltas).extracting(Delta::origin).containsOnly("node-a");
  }

  @Test
  void liquibaseIncludeInstallsTheSyncTables() throws IOException {
    String changelog =
        blocks("yaml").stream()
            .filter(b -> b.contains("deltasync-master.yaml"))
            .findFirst()
            .orElseThrow();
    Path file = Path.of("target", "test-classes", "readme", "app-changelog.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, changelog);

    TestDatabase db = TestDatabases.h2("readme-liquibase").migrate("readme/app-changelog.yaml");

    assertThat(new JdbcDeltaStore(db.dataSource(), "node-a").pendingFor("x", 0, 10).deltas())
        .isEmpty();
    db.execute(
        "INSERT INTO ds_node_pointer (node_id, peer_id, updated_at) VALUES ('a', 'b', NOW())");
  }

  @Test
  void springPropertiesConfigureNodeAndCapture() throws IOException {
    String[] properties =
        blocks("properties").get(0).lines().filter(l -> !l.isBlank()).toArray(String[]::new);

    NoteApp.runner(NoteApp.database("readme-spring"))
        .withPropertyValues(properties)
        .run(
            context -> {
              CaptureSettings settings = context.getBean(DeltaSyncInterceptor.class).settings();
              assertThat(settings.nodeId()).isEqualTo("node-a");
              assertThat(settings.tables().exclude()).containsExactly("audit_*", "tmp_*");
              assertThat(settings.excludedKinds()).containsExactly(Kind.DELETE);
            });
  }

  /**
   * The Spring Boot table lists every node, purge and capture key Spring Boot binds, and no other.
   */
  @Test
  void springPropertyTableListsEveryNodePurgeAndCaptureKey() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf("### 2b. Spring Boot");
    String section = readme.substring(start, readme.indexOf("\n## ", start));
    java.util.Set<String> documented = new java.util.TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `(deltasync\\.[a-z.-]+)` \\|").matcher(section);
    while (row.find()) {
      documented.add(row.group(1));
    }
    java.util.Set<String> bound =
        io.deltasync.testing.MetadataKeys.matching("deltasync\\.(?:node|purge|capture)\\.[a-z-]+");

    assertThat(bound).contains("deltasync.purge.retention", "deltasync.node.id");
    assertThat(documented).isEqualTo(bound);
  }

  @Test
  void pluginConflictPropertiesConfigureTheHubsPolicies() throws IOException {
    String plugin =
        blocks("xml").stream().filter(b -> b.contains("conflictPolicy")).findFirst().orElseThrow();
    Properties properties = new Properties();
    Matcher property =
        Pattern.compile("<property name=\"([^\"]+)\" value=\"([^\"]+)\"/>").matcher(plugin);
    while (property.find()) {
      properties.setProperty(property.group(1), property.group(2));
    }
    DeltaSyncInterceptor interceptor = new DeltaSyncInterceptor();

    interceptor.setProperties(properties);

    ConflictPolicies policies = interceptor.conflictPolicies();
    assertThat(properties).hasSize(4);
    assertThat(policies.fallback().resolver()).isEqualTo(ConflictPolicy.SERVER_WINS);
    assertThat(policies.forTable("note").resolver()).isEqualTo(ConflictPolicy.LAST_WRITER_WINS);
    assertThat(policies.forTable("profile").resolver()).isInstanceOf(MergeFields.class);
  }

  @Test
  void springConflictPropertiesConfigureTheHubsPolicies() throws IOException {
    String[] properties =
        blocks("properties").stream()
            .filter(b -> b.contains("deltasync.conflict"))
            .findFirst()
            .orElseThrow()
            .lines()
            .filter(l -> !l.isBlank())
            .toArray(String[]::new);
    TestDatabase database = io.deltasync.capture.autoconfigure.NoteApp.database("readme-conflict");
    try (database) {
      io.deltasync.capture.autoconfigure.NoteApp.runner(database)
          .withBean("mergeFields", ConflictResolver.class, MergeFields::new)
          .withPropertyValues(properties)
          .run(
              context -> {
                ConflictPolicies policies =
                    context.getBean(io.deltasync.apply.DeltaApplier.class).conflictPolicies();
                assertThat(policies.fallback().name()).isEqualTo("server-wins");
                assertThat(policies.forTable("note").resolver())
                    .isEqualTo(ConflictPolicy.LAST_WRITER_WINS);
                assertThat(policies.forTable("ticket").resolver()).isEqualTo(ConflictPolicy.MANUAL);
                assertThat(policies.forTable("profile").resolver())
                    .isSameAs(context.getBean("mergeFields"));
              });
    }
  }

  @Test
  void customResolverExampleIsTheTestedOne() throws IOException {
    String shown =
        blocks("java").stream()
            .filter(b -> b.contains("class MergeFields"))
            .findFirst()
            .orElseThrow();
    String source =
        Files.readString(Path.of("src/test/java/io/deltasync/example/MergeFields.java"));

    assertThat(source).contains(shown);
  }

  @Test
  void deltaExampleIsTheCodecsOwnEncoding() throws IOException {
    String shown = blocks("json").get(0).lines().map(String::strip).reduce("", String::concat);

    Delta delta = DeltaCodec.decode(shown.getBytes(StandardCharsets.UTF_8));

    assertThat(new String(DeltaCodec.encode(delta), StandardCharsets.UTF_8)).isEqualTo(shown);
    assertThat(delta.statementId()).isEqualTo(TodoMapper.class.getName() + ".add");
  }
}
