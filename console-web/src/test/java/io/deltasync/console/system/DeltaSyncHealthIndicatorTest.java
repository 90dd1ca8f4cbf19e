package io.deltasync.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.apply.DeadLetters;
import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.cluster.ClusterView;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Incarnation;
import io.deltasync.delta.NameFilter;
import io.deltasync.load.HubSnapshots;
import io.deltasync.load.LoadProgressReader;
import io.deltasync.load.Loader;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.ShipCounters;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.JdbcDeltaStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class DeltaSyncHealthIndicatorTest {

  @Test
  void namesTheReBasesOfAPeersStreamWithoutGoingDown() {
    TestDatabase db = TestDatabases.h2("health_rebase").migrate();
    SyncNode hub = new SyncNode("hub", db.dataSource(), NameFilter.ALL);
    Incarnation first = new Incarnation(DeltaIds.next(), 0);
    Incarnation second = new Incarnation(DeltaIds.next(), 3);
    hub.receive(new DeltaBatch("node-a", DeltaIds.next(), 0, 5, List.of()).in(first));
    hub.receive(new DeltaBatch("node-a", DeltaIds.next(), 3, 3, List.of()).in(second));
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("store", new JdbcDeltaStore(db.dataSource(), "hub"));
    DeltaSyncMeters meters =
        new DeltaSyncMeters(
            db.dataSource(),
            beans.getBeanProvider(ShipCounters.class),
            new DeadLetters(
                db.dataSource(),
                new DeltaApplier(db.dataSource(), "hub", new DeltaValidator(NameFilter.ALL))));
    DeltaSyncHealthIndicator indicator =
        new DeltaSyncHealthIndicator(
            beans.getBeanProvider(ClusterView.class),
            beans.getBeanProvider(DeltaStore.class),
            meters,
            new ConsoleProperties(),
            beans.getBeanProvider(LoadProgressReader.class));

    Health health = indicator.health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rebases =
        (List<Map<String, Object>>) health.getDetails().get("rebases");
    assertThat(rebases).hasSize(1);
    assertThat(rebases.get(0))
        .containsEntry("peer", "node-a")
        .containsEntry("fromSeq", 5L)
        .containsEntry("toSeq", 3L);
    assertThat((String) rebases.get(0).get("reason")).contains("began incarnation " + second.id());
  }

  @Test
  void namesAReloadHeldForAnOperatorWithItsReasonAndStaysUp() {
    TestDatabase db = TestDatabases.h2("health_held").migrate();
    Loader loader =
        new Loader(
            db.dataSource(),
            "node-a",
            NameFilter.ALL,
            new HubSnapshots(
                db.dataSource(), "hub", NameFilter.ALL, () -> null, Duration.ofSeconds(1)),
            10,
            Loader.Reload.MANUAL);
    loader.reloadNeeded("the hub purged deltas up to seq 9 that node-a never got");
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("loads", new LoadProgressReader(db.dataSource(), "node-a"));
    DeltaSyncHealthIndicator indicator =
        new DeltaSyncHealthIndicator(
            beans.getBeanProvider(ClusterView.class),
            beans.getBeanProvider(DeltaStore.class),
            new DeltaSyncMeters(
                db.dataSource(),
                beans.getBeanProvider(ShipCounters.class),
                new DeadLetters(
                    db.dataSource(),
                    new DeltaApplier(
                        db.dataSource(), "node-a", new DeltaValidator(NameFilter.ALL)))),
            new ConsoleProperties(),
            beans.getBeanProvider(LoadProgressReader.class));

    Health health = indicator.health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> loads = (List<Map<String, Object>>) health.getDetails().get("loads");
    assertThat(loads).hasSize(1);
    assertThat(loads.get(0)).containsEntry("peer", "hub").containsEntry("state", "HELD");
    assertThat((String) loads.get(0).get("reason")).contains("purged deltas up to seq 9");
  }
}
