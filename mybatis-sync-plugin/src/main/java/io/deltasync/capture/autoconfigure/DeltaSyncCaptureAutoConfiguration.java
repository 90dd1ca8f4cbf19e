package io.deltasync.capture.autoconfigure;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaFilter;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.node.autoconfigure.DeltaSyncNodeProperties;
import org.apache.ibatis.session.SqlSessionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Records MyBatis mutations as deltas: a {@link DeltaSyncInterceptor} from {@code deltasync.node.*}
 * and {@code deltasync.capture.*}, added to every {@link SqlSessionFactory} in the context.
 *
 * <p>mybatis-spring-boot adds {@code Interceptor} beans to the factory it creates; factories the
 * application defines itself get the interceptor from a bean post-processor, once. {@link
 * DeltaFilter} beans are applied in their {@code @Order}. Every {@link javax.sql.DataSource} bean
 * is wrapped so that capture sees savepoints (see {@link SavepointObserver}). Set {@code
 * deltasync.capture.enabled=false} to record nothing; define a {@link DeltaSyncInterceptor} bean to
 * replace the one made here.
 */
@AutoConfiguration
@ConditionalOnClass(SqlSessionFactory.class)
@ConditionalOnProperty(prefix = "deltasync.capture", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({DeltaSyncCaptureProperties.class, DeltaSyncNodeProperties.class})
public class DeltaSyncCaptureAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public DeltaSyncInterceptor deltaSyncInterceptor(
      DeltaSyncNodeProperties node,
      DeltaSyncCaptureProperties capture,
      ObjectProvider<DeltaFilter> filters) {
    CaptureSettings settings =
        new CaptureSettings(
            node.getId(),
            node.getUpstream(),
            capture.tableFilter(),
            capture.statementFilter(),
            capture.getExcludeKinds(),
            capture.getEvaluateOnEachNode());
    return new DeltaSyncInterceptor(settings, filters.orderedStream().toList());
  }

  // static, so that this configuration and the interceptor are not created early with it
  @Bean
  static BeanPostProcessor deltaSyncInterceptorRegistrar(
      ObjectProvider<DeltaSyncInterceptor> interceptor) {
    return new InterceptorRegistrar(interceptor::getIfAvailable);
  }

  /** Lets capture see savepoints: see {@link SavepointObserver}. */
  @Bean
  static BeanPostProcessor deltaSyncSavepointObserver() {
    return new SavepointObserver();
  }
}
