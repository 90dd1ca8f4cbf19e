package io.deltasync.ship.autoconfigure;

import io.deltasync.capture.autoconfigure.DeltaSyncCaptureProperties;
import io.deltasync.node.Leadership;
import io.deltasync.node.PeerContacts;
import io.deltasync.node.SyncNode;
import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.node.autoconfigure.DeltaSyncNodeProperties;
import io.deltasync.ship.DeltaSyncComponent;
import io.deltasync.ship.HttpVerifyHub;
import io.deltasync.ship.OwnRetries;
import io.deltasync.ship.PeerSecrets;
import io.deltasync.ship.PullAbort;
import io.deltasync.ship.ShipCounters;
import io.deltasync.store.DeltaStore;
import io.deltasync.verify.CatchUp;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.Verifier;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@code deltasync:} Camel component over this node's {@link SyncNode}, with the
 * peers' secrets and limits from {@code deltasync.ship.*}. A {@link Leadership} or {@link
 * PeerContacts} bean (the cluster module provides both) is used when present. The route templates
 * and the files in {@code deltasync.ship.routes} are loaded by Camel (see {@link
 * ShipRoutesEnvironmentPostProcessor}).
 */
@AutoConfiguration(after = DeltaSyncNodeAutoConfiguration.class)
@ConditionalOnClass(CamelContext.class)
@ConditionalOnBean(SyncNode.class)
@ConditionalOnProperty(prefix = "deltasync.ship", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DeltaSyncShipProperties.class)
public class DeltaSyncShipAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public ShipCounters shipCounters() {
    return new ShipCounters();
  }

  @Bean("deltasync")
  @ConditionalOnMissingBean(DeltaSyncComponent.class)
  public DeltaSyncComponent deltasync(
      SyncNode node,
      DeltaSyncShipProperties properties,
      ObjectProvider<Leadership> leadership,
      ObjectProvider<PeerContacts> contacts,
      ShipCounters counters) {
    DeltaSyncComponent component =
        new DeltaSyncComponent(
            node,
            PeerSecrets.of(properties.secrets()),
            properties.limits(),
            leadership.getIfAvailable(() -> Leadership.ALWAYS),
            contacts.getIfAvailable(() -> PeerContacts.NONE),
            counters);
    component.setMaxHeldPulls(properties.getMaxHeldPulls());
    return component;
  }

  /**
   * Answers verify requests at {@code deltasync:verify} from this node's database, for the tables
   * it replicates ({@code deltasync.capture.include-tables} / {@code exclude-tables}).
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean({DataSource.class, DeltaSyncCaptureProperties.class})
  public HubVerifier hubVerifier(
      DataSource dataSource, DeltaSyncNodeProperties node, DeltaSyncCaptureProperties capture) {
    return new HubVerifier(dataSource, node.getId(), capture.tableFilter());
  }

  /**
   * Verifies this node's replicated tables against its upstream hub over HTTP ({@code
   * <upstream-url>/deltasync/verify}), waiting up to a minute for the pull route to catch up; on a
   * client with {@code deltasync.node.upstream} and {@code deltasync.ship.upstream-url}.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean({DataSource.class, DeltaSyncCaptureProperties.class, DeltaStore.class})
  @ConditionalOnExpression(
      "'${deltasync.node.upstream:}' != '' and '${deltasync.ship.upstream-url:}' != ''")
  public Verifier verifier(
      DataSource dataSource,
      DeltaSyncNodeProperties node,
      DeltaSyncCaptureProperties capture,
      DeltaSyncShipProperties properties,
      DeltaStore store) {
    String hub = node.getUpstream();
    String secret = properties.secrets().get(hub);
    if (secret == null) {
      throw new IllegalStateException(
          "deltasync.ship.peers." + hub + ".secret is needed to verify against " + hub);
    }
    return new Verifier(
        dataSource,
        node.getId(),
        capture.tableFilter(),
        new HttpVerifyHub(hub, properties.getUpstreamUrl(), node.getId(), secret),
        CatchUp.awaiting(store, hub, Duration.ofMinutes(1)));
  }

  /**
   * Lets a stopping pull consumer abort the pull its peer holds, on camel-http's {@code http} and
   * {@code https} components (see {@link PullAbort}), so a client stops without waiting for it; and
   * leaves the retries of DeltaSync's requests to DeltaSync ({@link OwnRetries}).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.apache.camel.component.http.HttpComponent")
  static class PullAbortConfiguration {

    @Bean
    ComponentCustomizer deltasyncPullAbort() {
      return ComponentCustomizer.forType(
          HttpComponent.class,
          http ->
              http.setHttpClientConfigurer(
                  new PullAbort(new OwnRetries(http.getHttpClientConfigurer()))));
    }
  }

  /**
   * Refuses to start an embedded Artemis broker that keeps messages only in memory when this node
   * loads JMS routes: the outbox counts a batch as delivered once the broker has it, so a restart
   * of such a broker loses every batch still queued for a node.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ")
  static class BrokerPersistenceConfiguration {

    @Bean
    ArtemisConfigurationCustomizer deltasyncBrokerPersistence(DeltaSyncShipProperties properties) {
      return configuration -> {
        List<String> jmsRoutes =
            properties.getRoutes().stream()
                .filter(route -> route.toLowerCase(Locale.ROOT).contains("jms"))
                .toList();
        if (!configuration.isPersistenceEnabled() && !jmsRoutes.isEmpty()) {
          throw new IllegalStateException(
              "deltasync.ship.routes loads JMS routes "
                  + jmsRoutes
                  + ", but the embedded Artemis broker keeps messages only in memory, so batches"
                  + " queued for a node would be lost when this process restarts; set"
                  + " spring.artemis.embedded.persistent=true and"
                  + " spring.artemis.embedded.data-directory to a directory that survives"
                  + " restarts, or connect to an external broker"
                  + " (spring.artemis.embedded.enabled=false, spring.artemis.broker-url)");
        }
      };
    }
  }

  /**
   * Lets remote nodes reach the embedded Artemis broker at {@code deltasync.ship.broker-acceptor}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ")
  @ConditionalOnProperty(prefix = "deltasync.ship", name = "broker-acceptor")
  static class BrokerAcceptorConfiguration {

    @Bean
    ArtemisConfigurationCustomizer deltasyncBrokerAcceptor(DeltaSyncShipProperties properties) {
      return configuration -> {
        String url = properties.getBrokerAcceptor();
        try {
          configuration.addAcceptorConfiguration("deltasync", url);
        } catch (Exception e) {
          throw new IllegalStateException(
              "deltasync.ship.broker-acceptor must be an Artemis acceptor URL such as"
                  + " tcp://0.0.0.0:61616, but was "
                  + url,
              e);
        }
      };
    }
  }
}
