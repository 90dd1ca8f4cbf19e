package io.deltasync.node.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.apply.DeltaApplier;
import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.capture.autoconfigure.NoteApp;
import io.deltasync.capture.autoconfigure.NoteMapper;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.conflict.ConflictPolicy;
import io.deltasync.conflict.ConflictResolver;
import io.deltasync.conflict.Conflicts;
import io.deltasync.conflict.Resolution;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.RetentionPurge;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class DeltaSyncNodeAutoConfigurationTest {

  private final TestDatabase database = NoteApp.database("node");
  private final ApplicationContextRunner runner =
      NoteApp.runner(database).withUserConfiguration(NoteApp.ScanNoteMapper.class);

  @AfterEach
  void closePool() {
    database.close();
  }

  @Test
  void appliesOnlyDeltasCallingAllowedFunctions() {
    database.execute("INSERT INTO note (id, title) VALUES (1, 'ab')");
    runner.run(
        context ->
            assertThat(context.getBean(DeltaApplier.class).apply(repeatTitle(1)).quarantined())
                .isOne());
    assertThat(NoteApp.notes(database)).extracting(row -> row.get("TITLE")).containsExactly("ab");

    runner
        .withPropertyValues("deltasync.node.allowed-functions=Repeat")
        .run(context -> context.getBean(DeltaApplier.class).apply(repeatTitle(2)));
    assertThat(NoteApp.notes(database)).extracting(row -> row.get("TITLE")).containsExactly("abab");
  }

  @Test
  void aNodeWithoutUpstreamDetectsConflictsByTheConfiguredPolicies() {
    runner
        .withBean("keepTitles", ConflictResolver.class, () -> conflict -> Resolution.keepHub())
        .withPropertyValues(
            "deltasync.conflict.default-policy=manual",
            "deltasync.conflict.tables.note=keepTitles",
            "deltasync.conflict.tables.ticket=last-writer-wins")
        .run(
            context -> {
              DeltaApplier applier = context.getBean(DeltaApplier.class);
              ConflictPolicies policies = applier.conflictPolicies();
              assertThat(applier.detectsConflictsFrom("node-a")).isTrue();
              assertThat(policies.fallback().resolver()).isEqualTo(ConflictPolicy.MANUAL);
              assertThat(policies.forTable("NOTE").resolver())
                  .isSameAs(context.getBean("keepTitles"));
              assertThat(policies.forTable("ticket").resolver())
                  .isEqualTo(ConflictPolicy.LAST_WRITER_WINS);
              assertThat(context).hasSingleBean(Conflicts.class);
            });
  }

  @Test
  void aClientDoesNotCheckWhatItsHubSends() {
    runner
        .withPropertyValues("deltasync.node.upstream=hub")
        .run(
            context -> {
              DeltaApplier applier = context.getBean(DeltaApplier.class);
              assertThat(applier.conflictPolicies()).isNull();
              assertThat(applier.detectsConflictsFrom("hub")).isFalse();
            });
    runner
        .withPropertyValues("deltasync.node.upstream=root", "deltasync.conflict.enabled=true")
        .run(
            context -> {
              DeltaApplier applier = context.getBean(DeltaApplier.class);
              assertThat(applier.detectsConflictsFrom("root")).isFalse();
              assertThat(applier.detectsConflictsFrom("node-a")).isTrue();
            });
  }

  @Test
  void anUnknownPolicyFailsStartupNamingTheTable() {
    runner
        .withPropertyValues("deltasync.conflict.tables.note=server-wnis")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(
                        "the conflict policy of table note must be server-wins, client-wins,"
                            + " last-writer-wins, manual or the class name of a ConflictResolver,"
                            + " but was 'server-wnis'"));
  }

  /** A batch from the hub whose one delta, at the given seq, calls H2's REPEAT. */
  private static DeltaBatch repeatTitle(long seq) {
    Delta delta =
        new Delta(
            DeltaIds.next(),
            "hub",
            seq,
            DeltaIds.next(),
            1,
            0,
            "hub.NoteMapper.repeatTitle",
            Kind.UPDATE,
            "note",
            null,
            "UPDATE note SET title = REPEAT(title, ?) WHERE id = ?",
            List.of(new Param(ParamType.INT, 2), new Param(ParamType.LONG, 1L)));
    return new DeltaBatch("hub", "batch-" + seq, List.of(delta));
  }

  @Test
  void isListedForSpringBootToFind() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
        .contains(DeltaSyncNodeAutoConfiguration.class.getName());
  }

  @Test
  void failsToStartWithoutANodeId() {
    runner
        .withPropertyValues("deltasync.node.id=")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("deltasync.node.id is required")
                    .hasMessageContaining("[a-z0-9-]{1,64}"));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DeltaSyncNodeAutoConfiguration.class))
        .withBean(DataSource.class, database::dataSource)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("deltasync.node.id is required"));
  }

  @Test
  void failsToStartWithAMalformedNodeId() {
    runner
        .withPropertyValues("deltasync.node.id=Node_A")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("deltasync.node.id must be")
                    .hasMessageContaining("but was 'Node_A'"));
  }

  @Test
  void providesTheNodeWithItsDefaults() {
    runner.run(
        context -> {
          assertThat(context)
              .hasSingleBean(DeltaStore.class)
              .hasSingleBean(DeltaApplier.class)
              .hasSingleBean(SyncNode.class);
          SyncNode node = context.getBean(SyncNode.class);
          assertThat(node.nodeId()).isEqualTo("node-a");
          assertThat(node.store()).isSameAs(context.getBean(DeltaStore.class));
          assertThat(context.getBean(DeltaApplier.class).nodeId()).isEqualTo("node-a");
          DeltaSyncNodeProperties properties = context.getBean(DeltaSyncNodeProperties.class);
          assertThat(properties.getBatchSize()).isEqualTo(SyncNode.DEFAULT_BATCH_SIZE);
          assertThat(properties.getUpstream()).isNull();
          assertThat(context).hasSingleBean(RetentionPurge.class);
          DeltaSyncPurgeProperties purge = context.getBean(DeltaSyncPurgeProperties.class);
          assertThat(purge.getRetention()).isEqualTo(Duration.ofDays(7));
          assertThat(purge.getEvery()).isEqualTo(Duration.ofHours(1));
        });
  }

  @Test
  void purgesOldAcknowledgedDeltasUnlessTurnedOff() {
    runner
        .withPropertyValues("deltasync.purge.retention=30d", "deltasync.purge.every=10m")
        .run(
            context -> {
              assertThat(context).hasSingleBean(RetentionPurge.class);
              DeltaSyncPurgeProperties purge = context.getBean(DeltaSyncPurgeProperties.class);
              assertThat(purge.getRetention()).isEqualTo(Duration.ofDays(30));
              assertThat(purge.getEvery()).isEqualTo(Duration.ofMinutes(10));
            });
    runner
        .withPropertyValues("deltasync.purge.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RetentionPurge.class));
  }

  @Test
  void failsToStartWithARetentionOrIntervalThatIsNotPositive() {
    runner
        .withPropertyValues("deltasync.purge.retention=0s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "deltasync.purge.retention must be > 0 (e.g. 7d), but was PT0S"));
    runner
        .withPropertyValues("deltasync.purge.every=-1h")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "deltasync.purge.every must be > 0 (e.g. 1h), but was PT-1H"));
  }

  @Test
  void bindsBatchSizeAndUpstream() {
    runner
        .withPropertyValues("deltasync.node.upstream=hub", "deltasync.node.batch-size=50")
        .run(
            context -> {
              DeltaSyncNodeProperties properties = context.getBean(DeltaSyncNodeProperties.class);
              assertThat(properties.getUpstream()).isEqualTo("hub");
              assertThat(properties.getBatchSize()).isEqualTo(50);
            });
  }

  @Test
  void failsToStartWithANonPositiveBatchSize() {
    runner
        .withPropertyValues("deltasync.node.batch-size=0")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("deltasync.node.batch-size must be > 0, but was 0"));
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnStore() {
    DeltaStore own = new JdbcDeltaStore(database.dataSource(), "node-a");
    runner
        .withBean("ownStore", DeltaStore.class, () -> own)
        .run(context -> assertThat(context.getBean(SyncNode.class).store()).isSameAs(own));
  }

  @Test
  void providesNoNodeWithoutADataSource() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DeltaSyncNodeAutoConfiguration.class))
        .withPropertyValues("deltasync.node.id=node-a")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SyncNode.class));
  }

  @Test
  void pullsTheHubsNotesIntoThisNodesDatabase() {
    TestDatabase hubDatabase = NoteApp.database("hub");
    SyncNode hub = new SyncNode("hub", hubDatabase.dataSource(), NameFilter.ALL);
    try (SqlSession session = hubFactory(hubDatabase).openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(1, "from the hub");
      notes.insert(2, "renamed later");
      notes.rename(2, "renamed on the hub");
      session.commit();
    }
    runner.run(
        context -> {
          SyncNode node = context.getBean(SyncNode.class);
          assertThat(node.pull(hub)).isEqualTo(3);
          assertThat(node.pull(hub)).isZero();
        });
    assertThat(NoteApp.notes(database))
        .isEqualTo(NoteApp.notes(hubDatabase))
        .extracting(row -> row.get("TITLE"))
        .containsExactly("from the hub", "renamed on the hub");
    hubDatabase.close();
  }

  @Test
  void pushesNotesCapturedThroughSpringToTheHub() {
    TestDatabase hubDatabase = NoteApp.database("hub");
    SyncNode hub = new SyncNode("hub", hubDatabase.dataSource(), NameFilter.ALL);
    runner.run(
        context -> {
          NoteMapper notes = context.getBean(NoteMapper.class);
          notes.insert(1, "from node-a");
          notes.insert(2, "gone");
          notes.delete(2);
          assertThat(context.getBean(SyncNode.class).push(hub)).isEqualTo(3);
        });
    assertThat(NoteApp.notes(hubDatabase))
        .isEqualTo(NoteApp.notes(database))
        .extracting(row -> row.get("TITLE"))
        .containsExactly("from node-a");
    assertThat(NoteApp.origins(hubDatabase)).containsOnly("node-a").hasSize(3);
    hubDatabase.close();
  }

  /** The hub's application: plain MyBatis with the interceptor from its XML-free configuration. */
  private static SqlSessionFactory hubFactory(TestDatabase hubDatabase) {
    Configuration configuration =
        new Configuration(
            new Environment("hub", new JdbcTransactionFactory(), hubDatabase.dataSource()));
    configuration.addMapper(NoteMapper.class);
    configuration.addInterceptor(
        new DeltaSyncInterceptor(CaptureSettings.recordAll("hub"), List.of()));
    return new SqlSessionFactoryBuilder().build(configuration);
  }
}
