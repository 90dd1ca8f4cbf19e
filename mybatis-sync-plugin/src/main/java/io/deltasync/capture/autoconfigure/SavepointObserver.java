package io.deltasync.capture.autoconfigure;

import io.deltasync.capture.internal.ObservedConnection;
import java.sql.Connection;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopConfigException;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.InfrastructureProxy;

/**
 * Lets capture see the savepoints of the transactions MyBatis takes part in (Spring's {@code
 * PROPAGATION_NESTED}, or {@code Connection.setSavepoint} on a connection from the data source), so
 * that a rollback to one drops the deltas of the statements it undid: each {@link DataSource} bean
 * hands out its connections behind a thin proxy ({@link ObservedConnection}).
 *
 * <p>The bean stays of its own class: it becomes a subclass proxy of it (a {@code HikariDataSource}
 * is still a {@code HikariDataSource}, so code that injects or casts to the pool's type keeps
 * working), whose every method reaches the original bean and whose {@code getConnection} observes
 * what it returns. What returns the original bean itself returns the proxy instead ({@code
 * unwrap(HikariDataSource.class)}), so nothing reaches unobserved connections by accident. A class
 * that cannot be subclassed (final, no visible constructor) is wrapped in an {@link
 * ObservedDataSource} instead, which is a {@code DataSource} only and whose {@code unwrap} does
 * reach the original bean (Spring's transaction synchronisation keys its resources by that bean,
 * see {@link InfrastructureProxy}, so code given it still joins the same transactions).
 */
final class SavepointObserver implements BeanPostProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(SavepointObserver.class);

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof DataSource dataSource && !isObserved(bean)) {
      return observe(dataSource, beanName);
    }
    return bean;
  }

  /** The data source with its connections observed, of the data source's own class if it can be. */
  static DataSource observe(DataSource target, String beanName) {
    ProxyFactory factory = new ProxyFactory(target);
    factory.setProxyTargetClass(true);
    factory.addAdvice(new ObservingConnections(target));
    try {
      return (DataSource) factory.getProxy(target.getClass().getClassLoader());
    } catch (AopConfigException | IllegalArgumentException | LinkageError e) {
      LOG.info(
          "DataSource bean '{}' ({}) cannot be subclassed, so it is wrapped as a plain DataSource:"
              + " inject it as DataSource, not as its own class ({})",
          beanName,
          target.getClass().getName(),
          e.getMessage());
      return new ObservedDataSource(target);
    }
  }

  private static boolean isObserved(Object bean) {
    if (bean instanceof ObservedDataSource) {
      return true;
    }
    if (bean instanceof Advised advised) {
      for (var advisor : advised.getAdvisors()) {
        if (advisor.getAdvice() instanceof ObservingConnections) {
          return true;
        }
      }
    }
    return false;
  }

  /** Observes the connections the data source hands out. */
  private record ObservingConnections(DataSource target) implements MethodInterceptor {

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
      Object result = invocation.proceed();
      if (result instanceof Connection connection
          && invocation.getMethod().getName().equals("getConnection")) {
        return ObservedConnection.wrap(connection);
      }
      return result;
    }
  }
}
