package io.deltasync.cluster.autoconfigure;

import com.hazelcast.core.HazelcastInstance;
import io.deltasync.cluster.DeltaSyncCluster;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitializationDetector;

/**
 * Starts the Hazelcast member and the cluster only after the schema is migrated (Liquibase): both
 * read {@code ds_node_pointer} and {@code ds_node} as they start. Registered in {@code
 * META-INF/spring.factories}.
 */
public class ClusterAfterSchema implements DependsOnDatabaseInitializationDetector {

  @Override
  public Set<String> detect(ConfigurableListableBeanFactory beanFactory) {
    Set<String> names = new HashSet<>();
    for (Class<?> type : List.of(HazelcastInstance.class, DeltaSyncCluster.class)) {
      names.addAll(List.of(beanFactory.getBeanNamesForType(type, true, false)));
    }
    return names;
  }
}
