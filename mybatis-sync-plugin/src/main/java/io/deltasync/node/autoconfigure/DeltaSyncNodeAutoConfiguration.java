package io.deltasync.node.autoconfigure;

import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.capture.autoconfigure.DeltaSyncCaptureProperties;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.conflict.ConflictResolver;
import io.deltasync.conflict.Conflicts;
import io.deltasync.conflict.autoconfigure.DeltaSyncConflictProperties;
import io.deltasync.node.H2Durability;
import io.deltasync.node.Leadership;
import io.deltasync.node.SyncNode;
import io.deltasync.store.DeltaMaintenance;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.RetentionPurge;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * This node over the application's {@link DataSource}: its {@link DeltaStore}, its {@link
 * DeltaApplier} and the {@link SyncNode} that pushes to and pulls from peers.
 *
 * <p>The node id and batch size come from {@code deltasync.node.*}; the node accepts deltas only
 * for the tables it records itself ({@code deltasync.capture.include-tables} and {@code
 * exclude-tables}). It deletes the deltas every peer acknowledged longer ago than {@code
 * deltasync.purge.retention} (7 days by default; {@link RetentionPurge}), in the process that leads
 * the node when a {@link Leadership} bean (the cluster module's) elects one. A node without {@code
 * deltasync.node.upstream} is a hub: its applier detects and resolves conflicts by {@code
 * deltasync.conflict.*} (see {@link ConflictPolicies}), and {@link Conflicts} lists and resolves
 * them. The data source must hold the DeltaSync schema. Each bean backs off when the application
 * defines its own. With several data sources, one must be primary, or the node backs off.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties({
  DeltaSyncNodeProperties.class,
  DeltaSyncPurgeProperties.class,
  DeltaSyncCaptureProperties.class,
  DeltaSyncConflictProperties.class
})
public class DeltaSyncNodeAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public DeltaStore deltaStore(DataSource dataSource, DeltaSyncNodeProperties node) {
    return new JdbcDeltaStore(dataSource, node.getId());
  }

  @Bean
  @ConditionalOnMissingBean
  public DeltaApplier deltaApplier(
      DataSource dataSource,
      DeltaSyncNodeProperties node,
      DeltaSyncCaptureProperties capture,
      DeltaSyncConflictProperties conflict,
      ListableBeanFactory beans) {
    ConflictPolicies policies =
        conflict.detects(node.getUpstream())
            ? ConflictPolicies.of(
                conflict.getDefaultPolicy(),
                conflict.getTables(),
                name -> resolverBean(beans, name))
            : null;
    return new DeltaApplier(
        dataSource,
        node.getId(),
        new DeltaValidator(capture.tableFilter(), node.functions()),
        policies,
        node.getUpstream(),
        java.util.Set.copyOf(node.getRelays()),
        node.getStatementTimeout());
  }

  /** The conflicts this node recorded as a hub, for the console. */
  @Bean
  @ConditionalOnMissingBean
  public Conflicts conflicts(DataSource dataSource, DeltaSyncNodeProperties node) {
    return new Conflicts(dataSource, node.getId());
  }

  private static ConflictResolver resolverBean(ListableBeanFactory beans, String name) {
    return beans.containsBean(name) && beans.isTypeMatch(name, ConflictResolver.class)
        ? beans.getBean(name, ConflictResolver.class)
        : null;
  }

  /** Deletes now and then the deltas every peer acknowledged longer ago than the retention. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "deltasync.purge", name = "enabled", matchIfMissing = true)
  public RetentionPurge retentionPurge(
      DataSource dataSource,
      DeltaStore store,
      DeltaSyncPurgeProperties purge,
      ObjectProvider<Leadership> leadership) {
    return new RetentionPurge(
            new DeltaMaintenance(dataSource, store), purge.getRetention(), Clock.systemUTC())
        .whileLeading(() -> leadership.getIfAvailable(() -> Leadership.ALWAYS).isLeader())
        .start(purge.getEvery());
  }

  /** The node; warns once when its database is an H2 file that a kill can take commits from. */
  @Bean
  @ConditionalOnMissingBean
  public SyncNode syncNode(
      DeltaStore store, DeltaApplier applier, DeltaSyncNodeProperties node, DataSource dataSource) {
    H2Durability.warnIfAtRisk(dataSource, node.getId());
    return new SyncNode(store, applier, node.getBatchSize());
  }
}
