package io.deltasync.capture.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.deltasync.capture.internal.ObservedConnection;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.core.InfrastructureProxy;

class SavepointObserverTest {

  private final SavepointObserver observer = new SavepointObserver();

  @Test
  void aPoolStaysOfItsOwnClassAndHandsOutObservedConnections() throws SQLException {
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl("jdbc:h2:mem:observer-pool");
      pool.setMaximumPoolSize(3);
      pool.setPoolName("observed-pool");

      Object bean = observer.postProcessAfterInitialization(pool, "dataSource");

      assertThat(bean).isInstanceOf(HikariDataSource.class).isNotSameAs(pool);
      HikariDataSource proxy = (HikariDataSource) bean;
      assertThat(proxy.getMaximumPoolSize()).isEqualTo(3);
      assertThat(proxy.getPoolName()).isEqualTo("observed-pool");
      proxy.setMaximumPoolSize(4); // a setter reaches the pool itself
      assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
      // asked for the pool, the bean answers with itself: its connections stay observed
      assertThat(proxy.unwrap(HikariDataSource.class)).isSameAs(bean);
      try (Connection connection = proxy.getConnection()) {
        assertThat(isObserved(connection)).isTrue();
        assertThat(connection.isValid(1)).isTrue();
      }
      assertThat(observer.postProcessAfterInitialization(bean, "dataSource")).isSameAs(bean);
      proxy.close(); // closing the bean closes the pool
      assertThat(pool.isClosed()).isTrue();
    }
  }

  @Test
  void aFinalDataSourceClassIsWrappedAsAPlainDataSource() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource(); // a final class: it cannot be subclassed
    h2.setURL("jdbc:h2:mem:observer-final");

    Object bean = observer.postProcessAfterInitialization(h2, "dataSource");

    assertThat(bean).isInstanceOf(ObservedDataSource.class);
    try (Connection connection = ((DataSource) bean).getConnection()) {
      assertThat(isObserved(connection)).isTrue();
    }
    assertThat(((DataSource) bean).unwrap(JdbcDataSource.class)).isSameAs(h2);
    assertThat(((InfrastructureProxy) bean).getWrappedObject()).isSameAs(h2);
    assertThat(observer.postProcessAfterInitialization(bean, "dataSource")).isSameAs(bean);
  }

  @Test
  void otherBeansAreLeftAsTheyAre() {
    Object bean = new Object();
    assertThat(observer.postProcessAfterInitialization(bean, "other")).isSameAs(bean);
  }

  private static boolean isObserved(Connection connection) {
    return Proxy.isProxyClass(connection.getClass())
        && Proxy.getInvocationHandler(connection) instanceof ObservedConnection;
  }
}
