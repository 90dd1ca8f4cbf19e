package io.deltasync.console.system;

import io.deltasync.apply.DeadLetters;
import io.deltasync.apply.DeltaApplier;
import io.deltasync.capture.autoconfigure.DeltaSyncCaptureProperties;
import io.deltasync.load.HubReloads;
import io.deltasync.load.LoadProgressReader;
import io.deltasync.node.autoconfigure.DeltaSyncNodeProperties;
import io.deltasync.store.DeltaMaintenance;
import io.deltasync.store.DeltaStore;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine's operator APIs the console acts through, over the hub's own node: {@link DeadLetters}
 * (retry, skip), {@link DeltaMaintenance} (purge, re-send) and {@link HubReloads} (a peer's reload,
 * for the tables this node records), and the read of this node's loads ({@link
 * LoadProgressReader}). An application's own beans of these types are used instead.
 */
@Configuration(proxyBeanMethods = false)
class EngineBeans {

  @Bean
  @ConditionalOnMissingBean
  DeadLetters deadLetters(DataSource dataSource, DeltaApplier applier) {
    return new DeadLetters(dataSource, applier);
  }

  @Bean
  @ConditionalOnMissingBean
  DeltaMaintenance deltaMaintenance(DataSource dataSource, DeltaStore store) {
    return new DeltaMaintenance(dataSource, store);
  }

  @Bean
  @ConditionalOnMissingBean
  LoadProgressReader loadProgressReader(DataSource dataSource, DeltaStore store) {
    return new LoadProgressReader(dataSource, store.nodeId());
  }

  @Bean
  @ConditionalOnMissingBean
  HubReloads hubReloads(
      DataSource dataSource,
      DeltaStore store,
      DeltaSyncCaptureProperties capture,
      DeltaSyncNodeProperties node) {
    return new HubReloads(dataSource, store.nodeId(), capture.tableFilter(), node.getUpstream());
  }
}
