package io.deltasync.ship.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.load.HubSnapshots;
import io.deltasync.load.LoadException;
import io.deltasync.load.Loader;
import io.deltasync.load.ReverseChoice;
import io.deltasync.load.ReverseChoices;
import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.RouteLoadSource;
import io.deltasync.verify.Verifier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every node serves loads; a client with an upstream gets a Loader unless told not to, and a
 * Verifier, over HTTP with an upstream URL, else through its load route.
 */
class LoadAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataSourceAutoConfiguration.class,
                  DeltaSyncNodeAutoConfiguration.class,
                  DeltaSyncShipAutoConfiguration.class,
                  DeltaSyncLoadAutoConfiguration.class))
          .withPropertyValues(
              "spring.datasource.url=" + TestDatabases.h2("load_autoconfigure").migrate().jdbcUrl(),
              "spring.datasource.username=sa");

  private static final String[] CLIENT = {
    "deltasync.node.id=node-a",
    "deltasync.node.upstream=hub",
    "deltasync.ship.upstream-url=http://localhost:1",
    "deltasync.ship.peers.hub.secret=0123456789abcdef"
  };

  @Test
  void aHubServesLoadsAndLoadsNothingItself() {
    runner
        .withPropertyValues(
            "deltasync.node.id=hub", "deltasync.ship.peers.node-a.secret=0123456789abcdef")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(HubSnapshots.class);
              assertThat(context).doesNotHaveBean(Loader.class);
            });
  }

  @Test
  void aClientWithAnUpstreamUrlGetsALoaderForItsHub() {
    runner
        .withPropertyValues(CLIENT)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(Loader.class).hubId()).isEqualTo("hub");
              assertThat(context).hasSingleBean(Verifier.class);
            });
  }

  @Test
  void aClientWithoutAnUpstreamUrlLoadsThroughItsLoadRouteOnly() {
    runner
        .withPropertyValues(
            "deltasync.node.id=node-a",
            "deltasync.node.upstream=hub",
            "deltasync.ship.peers.hub.secret=0123456789abcdef")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Loader loader = context.getBean(Loader.class);
              assertThat(loader.hubId()).isEqualTo("hub");
              assertThat(loader.source()).isInstanceOf(RouteLoadSource.class);
              assertThat(((RouteLoadSource) loader.source()).bound())
                  .as("no deltasync:load route runs")
                  .isFalse();
              assertThatThrownBy(() -> loader.source().open("node-a", List.of("note")))
                  .isInstanceOf(LoadException.class)
                  .hasMessage(
                      "node-a has no running deltasync:load route for hub (a deltasync-jms-load or"
                          + " deltasync-file-load route, or an HTTP upstream-url): it cannot load"
                          + " from it");
              // its verifier asks through the same route (TableReloadOverQueuesIT uses it)
              assertThat(context.getBean(Verifier.class).hubId()).isEqualTo("hub");
            });
  }

  @Test
  void reloadsAutomaticallyUnlessSetToManual() {
    runner
        .withPropertyValues(CLIENT)
        .run(
            context ->
                assertThat(context.getBean(Loader.class).reloadMode())
                    .isEqualTo(Loader.Reload.AUTO));
    runner
        .withPropertyValues(CLIENT)
        .withPropertyValues("deltasync.load.reload=manual")
        .run(
            context ->
                assertThat(context.getBean(Loader.class).reloadMode())
                    .isEqualTo(Loader.Reload.MANUAL));
  }

  @Test
  void aHubAcceptsEveryReverseChoiceUnlessNarrowed() {
    String[] hub = {"deltasync.node.id=hub", "deltasync.ship.peers.node-a.secret=0123456789abcdef"};
    runner
        .withPropertyValues(hub)
        .run(
            context ->
                assertThat(context.getBean(DeltaSyncLoadProperties.class).getReverse().getAccept())
                    .containsExactlyInAnyOrder(ReverseChoice.values()));
    runner
        .withPropertyValues(hub)
        .withPropertyValues("deltasync.load.reverse.accept=hub-wins,refuse")
        .run(
            context -> {
              assertThat(context).hasSingleBean(HubSnapshots.class);
              assertThat(context.getBean(DeltaSyncLoadProperties.class).getReverse().getAccept())
                  .containsExactlyInAnyOrder(ReverseChoice.HUB_WINS, ReverseChoice.REFUSE);
            });
  }

  @Test
  void reverseLoadIsOffUnlessADefaultOrATableIsChosen() {
    runner
        .withPropertyValues(CLIENT)
        .run(
            context ->
                assertThat(context.getBean(Loader.class).reverseChoices())
                    .isEqualTo(ReverseChoices.NONE));
    runner
        .withPropertyValues(CLIENT)
        .withPropertyValues(
            "deltasync.load.reverse.default=hub-wins",
            "deltasync.load.reverse.tables.note=client-wins",
            "deltasync.load.reverse.tables.ledger=refuse")
        .run(
            context -> {
              ReverseChoices choices = context.getBean(Loader.class).reverseChoices();
              assertThat(choices.enabled()).isTrue();
              assertThat(choices.of("note")).isEqualTo(ReverseChoice.CLIENT_WINS);
              assertThat(choices.of("ledger")).isEqualTo(ReverseChoice.REFUSE);
              assertThat(choices.of("item")).isEqualTo(ReverseChoice.HUB_WINS);
            });
    runner
        .withPropertyValues(CLIENT)
        .withPropertyValues("deltasync.load.reverse.default=mine")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void initialLoadOffMeansNoLoader() {
    runner
        .withPropertyValues(CLIENT)
        .withPropertyValues("deltasync.load.initial=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(Loader.class);
            });
  }
}
