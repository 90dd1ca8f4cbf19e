package io.deltasync.ship.autoconfigure;

import io.deltasync.capture.autoconfigure.DeltaSyncCaptureProperties;
import io.deltasync.load.HubReloads;
import io.deltasync.load.HubSnapshots;
import io.deltasync.load.Loader;
import io.deltasync.node.SyncNode;
import io.deltasync.node.autoconfigure.DeltaSyncNodeProperties;
import io.deltasync.ship.HttpLoadSource;
import io.deltasync.ship.RouteLoadSource;
import io.deltasync.ship.RouteVerifyHub;
import io.deltasync.store.DeltaStore;
import io.deltasync.verify.CatchUp;
import io.deltasync.verify.Verifier;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Initial load: the hub's {@link HubSnapshots}, answered at {@code deltasync:load} (the {@code
 * http-serve} example routes it at {@code /deltasync/load}, the {@code deltasync-jms-serve-load}
 * template on the queue {@code deltasync.load.<hub>}), and on a client with {@code
 * deltasync.node.upstream} a {@link Loader} ({@code deltasync.load.initial}, on by default). With
 * {@code deltasync.ship.upstream-url} it loads over HTTP, run by the {@code deltasync:pull} route
 * before pulling while a load is pending; without, through a {@code deltasync:load?peer=<hub>}
 * route ({@link RouteLoadSource}: the {@code deltasync-jms-load} template), and loads nothing while
 * no such route runs. Either reloads when the hub says the client must ({@code
 * deltasync.load.reload}: auto by default, or manual). A client that holds rows but no delta sends
 * them to its hub first when {@code deltasync.load.reverse.default} or {@code
 * deltasync.load.reverse.tables.<table>} is set.
 */
@AutoConfiguration(after = DeltaSyncShipAutoConfiguration.class)
@ConditionalOnClass(CamelContext.class)
@ConditionalOnBean(SyncNode.class)
@ConditionalOnProperty(prefix = "deltasync.ship", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DeltaSyncLoadProperties.class)
public class DeltaSyncLoadAutoConfiguration {

  /** Serves loads from this node's database, for the tables it replicates. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBean({DataSource.class, DeltaSyncCaptureProperties.class, DeltaStore.class})
  public HubSnapshots hubSnapshots(
      DataSource dataSource,
      DeltaSyncNodeProperties node,
      DeltaSyncCaptureProperties capture,
      DeltaStore store,
      DeltaSyncLoadProperties load) {
    return new HubSnapshots(
        dataSource,
        node.getId(),
        capture.tableFilter(),
        store::incarnation,
        load.getIdleTimeout(),
        load.getReverse().getAccept());
  }

  /**
   * Lets this node, as a hub, ask its clients to reload (all their tables, or one), which its feed
   * then tells them; also what an operator's console calls.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean({DataSource.class, DeltaSyncCaptureProperties.class, DeltaStore.class})
  public HubReloads hubReloads(
      DataSource dataSource, DeltaSyncNodeProperties node, DeltaSyncCaptureProperties capture) {
    return new HubReloads(dataSource, node.getId(), capture.tableFilter(), node.getUpstream());
  }

  /** Loads this client's replicated tables from its upstream hub, over HTTP or a load route. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean({DataSource.class, DeltaSyncCaptureProperties.class})
  @ConditionalOnProperty(prefix = "deltasync.load", name = "initial", matchIfMissing = true)
  @ConditionalOnExpression("'${deltasync.node.upstream:}' != ''")
  public Loader initialLoader(
      DataSource dataSource,
      DeltaSyncNodeProperties node,
      DeltaSyncCaptureProperties capture,
      DeltaSyncShipProperties ship,
      DeltaSyncLoadProperties load) {
    String hub = node.getUpstream();
    String secret = ship.secrets().get(hub);
    if (secret == null) {
      throw new IllegalStateException(
          "deltasync.ship.peers." + hub + ".secret is needed to load from " + hub);
    }
    return new Loader(
        dataSource,
        node.getId(),
        capture.tableFilter(),
        ship.getUpstreamUrl() == null || ship.getUpstreamUrl().isBlank()
            ? new RouteLoadSource(hub, node.getId(), secret)
            : new HttpLoadSource(hub, ship.getUpstreamUrl(), node.getId(), secret),
        load.getChunkRows(),
        load.getReload(),
        load.getReverse().choices());
  }

  /**
   * Verifies this client's replicated tables against its hub, repairs and reloads them, through its
   * {@code deltasync:load} route (a client without {@code deltasync.ship.upstream-url}, which
   * reaches its hub by a queue or a folder: {@link RouteVerifyHub}), waiting up to a minute for its
   * receive route to catch up. With the upstream URL, {@link DeltaSyncShipAutoConfiguration}'s
   * verifier asks over HTTP.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean({DataSource.class, DeltaSyncCaptureProperties.class, DeltaStore.class})
  @ConditionalOnProperty(prefix = "deltasync.load", name = "initial", matchIfMissing = true)
  @ConditionalOnExpression(
      "'${deltasync.node.upstream:}' != '' and '${deltasync.ship.upstream-url:}' == ''")
  public Verifier routeVerifier(
      DataSource dataSource,
      DeltaSyncNodeProperties node,
      DeltaSyncCaptureProperties capture,
      Loader loader,
      DeltaStore store) {
    if (!(loader.source() instanceof RouteLoadSource route)) {
      throw new IllegalStateException(
          "the Loader for "
              + node.getUpstream()
              + " does not load through a deltasync:load route, so this node cannot verify"
              + " through one: define a Verifier bean of your own");
    }
    return new Verifier(
        dataSource,
        node.getId(),
        capture.tableFilter(),
        new RouteVerifyHub(route),
        CatchUp.awaiting(store, node.getUpstream(), Duration.ofMinutes(1)));
  }
}
