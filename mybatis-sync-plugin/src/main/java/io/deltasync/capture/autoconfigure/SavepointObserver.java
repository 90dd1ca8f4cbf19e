package io.deltasync.capture.autoconfigure;

import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps each {@link DataSource} bean in an {@link ObservedDataSource}, so that capture sees the
 * savepoints of the transactions MyBatis takes part in (Spring's {@code PROPAGATION_NESTED}, or
 * {@code Connection.setSavepoint} on a connection from the data source) and drops the deltas of the
 * statements a rollback to one undoes.
 *
 * <p>Beans that need the pool's own type should ask the data source for it with {@code unwrap}.
 */
final class SavepointObserver implements BeanPostProcessor {

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof DataSource dataSource && !(bean instanceof ObservedDataSource)) {
      return new ObservedDataSource(dataSource);
    }
    return bean;
  }
}
