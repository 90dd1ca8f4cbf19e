package io.deltasync.capture.autoconfigure;

import io.deltasync.capture.DeltaSyncInterceptor;
import java.util.function.Supplier;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Adds the {@link DeltaSyncInterceptor} to each {@link SqlSessionFactory} bean whose configuration
 * does not hold one yet.
 *
 * <p>The interceptor is looked up only when the first such factory appears, so that declaring this
 * post-processor does not create it (and the filters and properties behind it) early. Adding it
 * after the factory is built is enough: MyBatis applies interceptors when a session opens its
 * executor.
 */
final class InterceptorRegistrar implements BeanPostProcessor {

  private final Supplier<DeltaSyncInterceptor> interceptor;

  InterceptorRegistrar(Supplier<DeltaSyncInterceptor> interceptor) {
    this.interceptor = interceptor;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof SqlSessionFactory factory) {
      Configuration configuration = factory.getConfiguration();
      if (!hasDeltaSyncInterceptor(configuration)) {
        DeltaSyncInterceptor available = interceptor.get();
        if (available != null) {
          configuration.addInterceptor(available);
        }
      }
    }
    return bean;
  }

  private static boolean hasDeltaSyncInterceptor(Configuration configuration) {
    for (Interceptor each : configuration.getInterceptors()) {
      if (each instanceof DeltaSyncInterceptor) {
        return true;
      }
    }
    return false;
  }
}
