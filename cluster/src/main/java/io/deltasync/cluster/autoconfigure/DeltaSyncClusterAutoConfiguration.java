package io.deltasync.cluster.autoconfigure;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.deltasync.cluster.ClusterSettings;
import io.deltasync.cluster.ClusterView;
import io.deltasync.cluster.DeltaSyncCluster;
import io.deltasync.cluster.NodeRegistry;
import io.deltasync.node.Leadership;
import io.deltasync.node.PeerContacts;
import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.node.autoconfigure.DeltaSyncNodeProperties;
import io.deltasync.store.DeltaStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * This node in a Hazelcast cluster: the Hazelcast member (or client), and over it the node's {@link
 * DeltaStore} with shared pointers, its {@link Leadership}, its {@link NodeRegistry} (which is also
 * its {@link PeerContacts}) and the {@link ClusterView}, as {@link DeltaSyncCluster} makes them.
 *
 * <p>Runs before the node's auto-configuration, whose {@code SyncNode} then uses the clustered
 * store, and before Spring Boot's Hazelcast auto-configuration. The member's config comes from an
 * application {@link Config} bean if there is one, else from {@code deltasync.cluster.config-file},
 * else from the other {@code deltasync.cluster.*} keys; DeltaSync adds its parts to it ({@link
 * DeltaSyncCluster#prepare}). An application {@link HazelcastInstance} bean is used as it is, so
 * its config must have been prepared. Each bean backs off when the application defines its own;
 * {@code deltasync.cluster.enabled=false} turns it all off.
 */
@AutoConfiguration(
    after = DataSourceAutoConfiguration.class,
    before = DeltaSyncNodeAutoConfiguration.class,
    beforeName = "org.springframework.boot.autoconfigure.hazelcast.HazelcastAutoConfiguration")
@ConditionalOnClass(HazelcastInstance.class)
@ConditionalOnProperty(
    prefix = "deltasync.cluster",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties({DeltaSyncClusterProperties.class, DeltaSyncNodeProperties.class})
public class DeltaSyncClusterAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public ClusterSettings deltaSyncClusterSettings(
      DeltaSyncClusterProperties cluster, DeltaSyncNodeProperties node) {
    return cluster.settings(node.getId());
  }

  @Bean(destroyMethod = "shutdown")
  @ConditionalOnMissingBean
  public HazelcastInstance hazelcastInstance(
      DeltaSyncClusterProperties properties,
      ClusterSettings settings,
      DataSource dataSource,
      ObjectProvider<Config> memberConfig,
      ObjectProvider<ClientConfig> clientConfig) {
    if (properties.getMode() == DeltaSyncClusterProperties.Mode.CLIENT) {
      ClientConfig config = clientConfig.getIfAvailable(() -> HazelcastConfigs.client(properties));
      return HazelcastClient.newHazelcastClient(DeltaSyncCluster.prepare(config));
    }
    Config config = memberConfig.getIfAvailable(() -> HazelcastConfigs.member(properties));
    return Hazelcast.newHazelcastInstance(DeltaSyncCluster.prepare(config, settings, dataSource));
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public DeltaSyncCluster deltaSyncCluster(
      HazelcastInstance hazelcast, ClusterSettings settings, DataSource dataSource) {
    return DeltaSyncCluster.start(hazelcast, settings, dataSource);
  }

  @Bean
  @ConditionalOnMissingBean
  public DeltaStore deltaStore(DeltaSyncCluster cluster) {
    return cluster.store();
  }

  @Bean
  @ConditionalOnMissingBean
  public Leadership leadership(DeltaSyncCluster cluster) {
    return cluster.leadership();
  }

  @Bean
  @ConditionalOnMissingBean(PeerContacts.class)
  public NodeRegistry nodeRegistry(DeltaSyncCluster cluster) {
    return cluster.registry();
  }
}
