package io.deltasync.capture.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaFilter;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.session.SqlSessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class DeltaSyncCaptureAutoConfigurationTest {

  private final TestDatabase database = NoteApp.database("capture");
  private final ApplicationContextRunner runner =
      NoteApp.runner(database).withUserConfiguration(NoteApp.ScanNoteMapper.class);

  @AfterEach
  void closePool() {
    database.close();
  }

  @Test
  void isListedForSpringBootToFind() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
        .contains(DeltaSyncCaptureAutoConfiguration.class.getName());
  }

  @Test
  void addsTheInterceptorToTheAutoConfiguredFactoryExactlyOnce() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(DeltaSyncInterceptor.class);
          SqlSessionFactory factory = context.getBean(SqlSessionFactory.class);
          assertThat(deltaSyncInterceptors(factory))
              .containsExactly(context.getBean(DeltaSyncInterceptor.class));
        });
  }

  @Test
  void addsTheInterceptorToUserDefinedFactoriesOnce() {
    TestDatabase reports = NoteApp.database("reports");
    NoteApp.runner(database)
        .withPropertyValues("test.reports-url=" + reports.jdbcUrl())
        .withUserConfiguration(TwoUserFactories.class)
        .run(
            context -> {
              DeltaSyncInterceptor interceptor = context.getBean(DeltaSyncInterceptor.class);
              SqlSessionFactory main = context.getBean("mainFactory", SqlSessionFactory.class);
              SqlSessionFactory other = context.getBean("reportsFactory", SqlSessionFactory.class);
              assertThat(deltaSyncInterceptors(main)).containsExactly(interceptor);
              assertThat(deltaSyncInterceptors(other)).containsExactly(interceptor);

              new SqlSessionTemplate(main).getMapper(NoteMapper.class).insert(1, "main");
              new SqlSessionTemplate(other).getMapper(NoteMapper.class).insert(2, "reports");
            });
    assertThat(NoteApp.deltas(database)).containsExactly("INSERT note insert 1");
    assertThat(NoteApp.deltas(reports)).containsExactly("INSERT note insert 2");
    reports.close();
  }

  @Test
  void bindsCapturePropertiesIntoTheInterceptorSettings() {
    runner
        .withPropertyValues(
            "deltasync.node.upstream=hub",
            "deltasync.capture.include-tables=note,audit_*",
            "deltasync.capture.exclude-tables=audit_*",
            "deltasync.capture.include-statements=*Mapper.*",
            "deltasync.capture.exclude-statements=*.purge,*.import*",
            "deltasync.capture.exclude-kinds=delete",
            "deltasync.capture.evaluate-on-each-node=*.touchAll")
        .run(
            context ->
                assertThat(context.getBean(DeltaSyncInterceptor.class).settings())
                    .isEqualTo(
                        new CaptureSettings(
                            "node-a",
                            "hub",
                            new NameFilter(List.of("note", "audit_*"), List.of("audit_*")),
                            new NameFilter(List.of("*Mapper.*"), List.of("*.purge", "*.import*")),
                            Set.of(Kind.DELETE),
                            List.of("*.touchAll"))));
  }

  @Test
  void recordsEverythingAsTheNodeByDefault() {
    runner.run(
        context ->
            assertThat(context.getBean(DeltaSyncInterceptor.class).settings())
                .isEqualTo(CaptureSettings.recordAll("node-a")));
  }

  @Test
  void recordsNothingForExcludedTablesAndKindsWhileNeighboursAreRecorded() {
    runner
        .withPropertyValues(
            "deltasync.capture.exclude-tables=audit_*", "deltasync.capture.exclude-kinds=DELETE")
        .run(
            context -> {
              NoteMapper notes = context.getBean(NoteMapper.class);
              notes.insert(1, "kept");
              notes.audit(1, "not replicated");
              notes.insert(2, "deleted");
              notes.delete(2);
            });
    assertThat(NoteApp.deltas(database))
        .containsExactly("INSERT note insert 1", "INSERT note insert 2");
  }

  @Test
  void recordsNothingForExcludedStatements() {
    runner
        .withPropertyValues("deltasync.capture.exclude-statements=*.rename")
        .run(
            context -> {
              NoteMapper notes = context.getBean(NoteMapper.class);
              notes.insert(1, "first");
              notes.rename(1, "second");
            });
    assertThat(NoteApp.deltas(database)).containsExactly("INSERT note insert 1");
  }

  @Test
  void appliesDeltaFilterBeansInTheirOrder() {
    runner
        .withUserConfiguration(OrderedFilters.class)
        .run(
            context -> {
              NoteMapper notes = context.getBean(NoteMapper.class);
              notes.insert(1, "first");
              notes.rename(1, "second");
              assertThat(context.getBean(FilterCalls.class).names)
                  .containsExactly("skipRenames", "last", "skipRenames");
            });
    assertThat(NoteApp.deltas(database)).containsExactly("INSERT note insert 1");
  }

  @Test
  void capturesNothingWhenDisabled() {
    runner
        .withPropertyValues("deltasync.capture.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(DeltaSyncInterceptor.class);
              assertThat(
                      context.getBean(SqlSessionFactory.class).getConfiguration().getInterceptors())
                  .isEmpty();
              context.getBean(NoteMapper.class).insert(1, "unrecorded");
            });
    assertThat(NoteApp.notes(database)).hasSize(1);
    assertThat(NoteApp.deltas(database)).isEmpty();
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnInterceptor() {
    runner
        .withBean(
            "customInterceptor",
            DeltaSyncInterceptor.class,
            () -> new DeltaSyncInterceptor(CaptureSettings.recordAll("custom"), List.of()))
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(DeltaSyncInterceptor.class)
                  .hasBean("customInterceptor");
              assertThat(deltaSyncInterceptors(context.getBean(SqlSessionFactory.class)))
                  .containsExactly(context.getBean(DeltaSyncInterceptor.class));
              context.getBean(NoteMapper.class).insert(1, "by custom");
            });
    assertThat(NoteApp.origins(database)).containsExactly("custom");
  }

  private static List<Interceptor> deltaSyncInterceptors(SqlSessionFactory factory) {
    return factory.getConfiguration().getInterceptors().stream()
        .filter(DeltaSyncInterceptor.class::isInstance)
        .toList();
  }

  /**
   * Two factories of the application's own (so mybatis-spring-boot's backs off), on two databases.
   */
  @Configuration(proxyBeanMethods = false)
  static class TwoUserFactories {

    @Bean
    @Primary
    SqlSessionFactory mainFactory(DataSource dataSource) throws Exception {
      return NoteApp.userDefinedFactory(dataSource);
    }

    @Bean
    SqlSessionFactory reportsFactory(@Value("${test.reports-url}") String url) throws Exception {
      return NoteApp.userDefinedFactory(new DriverManagerDataSource(url, "sa", ""));
    }
  }

  /** Who was asked, in order. */
  static final class FilterCalls {
    final List<String> names = new CopyOnWriteArrayList<>();
  }

  /** Declared last-first, to show that {@code @Order} decides. */
  @Configuration(proxyBeanMethods = false)
  static class OrderedFilters {

    @Bean
    FilterCalls filterCalls() {
      return new FilterCalls();
    }

    @Bean
    @Order(2)
    DeltaFilter last(FilterCalls calls) {
      return candidate -> calls.names.add("last");
    }

    @Bean
    @Order(1)
    DeltaFilter skipRenames(FilterCalls calls) {
      return candidate -> {
        calls.names.add("skipRenames");
        return !candidate.statementId().endsWith(".rename");
      };
    }
  }
}
