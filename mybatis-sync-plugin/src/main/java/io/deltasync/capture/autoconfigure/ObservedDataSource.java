package io.deltasync.capture.autoconfigure;

import io.deltasync.capture.internal.ObservedConnection;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.springframework.core.InfrastructureProxy;

/**
 * A data source whose connections let capture follow savepoints (see {@link ObservedConnection}):
 * it hands out each connection of the data source it wraps (a pool's connection) behind a thin
 * proxy.
 *
 * <p>{@code unwrap} and {@code isWrapperFor} reach the wrapped data source (the pool), and Spring's
 * transaction synchronisation keys its resources by the wrapped data source ({@link
 * InfrastructureProxy}), so code given the pool itself joins the same transactions. Thread-safe.
 */
final class ObservedDataSource implements DataSource, InfrastructureProxy {

  private final DataSource target;

  ObservedDataSource(DataSource target) {
    this.target = target;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return ObservedConnection.wrap(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return ObservedConnection.wrap(target.getConnection(username, password));
  }

  @Override
  public Object getWrappedObject() {
    return target;
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || type.isInstance(target) || target.isWrapperFor(type);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public String toString() {
    return "observed " + target;
  }
}
