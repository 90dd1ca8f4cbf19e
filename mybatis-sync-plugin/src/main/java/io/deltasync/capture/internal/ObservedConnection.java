package io.deltasync.capture.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection that tells the captures working on it when the database undoes statements without
 * MyBatis knowing: a rollback to a savepoint, or a rollback of the whole transaction made on the
 * connection itself. Each capture ({@link Savepoints}) then drops the deltas of the statements that
 * were undone.
 *
 * <p>It is a thin proxy: every call goes to the connection it wraps (a pool's connection, not the
 * physical one), and the savepoint calls are noted after they succeeded. {@code unwrap} and {@code
 * isWrapperFor} answer for the proxy first, then for the wrapped connection. A rollback to a
 * savepoint this connection did not see being set (one set on the wrapped connection directly)
 * cannot be followed, so the captures on the connection fail their commit instead of writing deltas
 * of statements that may have been undone. Like a connection, used by one thread at a time.
 */
public final class ObservedConnection implements InvocationHandler {

  /** What the proxies implement besides {@link Connection}, to be recognised cheaply. */
  interface Observed {}

  private final Connection target;
  private final List<Savepoint> open = new ArrayList<>();
  private final List<Savepoints> watchers = new ArrayList<>(1);

  private ObservedConnection(Connection target) {
    this.target = target;
  }

  /** The connection, observed; a connection that is observed already is returned as it is. */
  public static Connection wrap(Connection connection) {
    if (connection instanceof Observed) {
      return connection;
    }
    return (Connection)
        Proxy.newProxyInstance(
            ObservedConnection.class.getClassLoader(),
            new Class<?>[] {Connection.class, Observed.class},
            new ObservedConnection(connection));
  }

  /** Whether the connection is one {@link #wrap} returned. */
  static boolean isObserved(Connection connection) {
    return connection instanceof Observed;
  }

  /**
   * Lets the capture follow this connection's savepoints from now on; savepoints already open count
   * as set before anything the capture records later. Nothing happens when it follows them already.
   */
  static void watch(Connection observed, Savepoints capture) {
    ObservedConnection connection = (ObservedConnection) Proxy.getInvocationHandler(observed);
    if (!connection.watchers.contains(capture)) {
      connection.watchers.add(capture);
      capture.following(connection.open);
    }
  }

  /** Forgets the open savepoints: the transaction ended where this connection could not see it. */
  static void transactionEnded(Connection observed) {
    ((ObservedConnection) Proxy.getInvocationHandler(observed)).open.clear();
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "setSavepoint" -> {
        Savepoint savepoint = (Savepoint) call(method, args);
        open.add(savepoint);
        watchers.forEach(watcher -> watcher.set(savepoint));
        return savepoint;
      }
      case "rollback" -> {
        call(method, args);
        if (args == null || args.length == 0) {
          ended(true);
        } else {
          rolledBackTo((Savepoint) args[0]);
        }
        return null;
      }
      case "releaseSavepoint" -> {
        call(method, args);
        int at = indexOf((Savepoint) args[0]);
        if (at >= 0) {
          open.subList(at, open.size()).clear();
        }
        watchers.forEach(watcher -> watcher.released((Savepoint) args[0]));
        return null;
      }
      case "commit" -> {
        call(method, args);
        ended(false);
        return null;
      }
      case "setAutoCommit" -> {
        call(method, args);
        if ((Boolean) args[0]) {
          ended(false); // switching auto-commit on commits the open transaction
        }
        return null;
      }
      case "unwrap" -> {
        if (((Class<?>) args[0]).isInstance(proxy)) {
          return proxy;
        }
      }
      case "isWrapperFor" -> {
        if (((Class<?>) args[0]).isInstance(proxy)) {
          return true;
        }
      }
      case "equals" -> {
        return proxy == args[0];
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "toString" -> {
        return "observed " + target;
      }
      default -> {}
    }
    return call(method, args);
  }

  private void rolledBackTo(Savepoint savepoint) {
    int at = indexOf(savepoint);
    if (at < 0) {
      watchers.forEach(Savepoints::unknownRollback);
      return;
    }
    open.subList(at + 1, open.size()).clear(); // later savepoints end; this one stays
    watchers.forEach(watcher -> watcher.rolledBackTo(savepoint));
  }

  private void ended(boolean rolledBack) {
    open.clear();
    watchers.forEach(watcher -> watcher.ended(rolledBack));
  }

  private int indexOf(Savepoint savepoint) {
    for (int i = open.size() - 1; i >= 0; i--) {
      if (open.get(i) == savepoint) {
        return i;
      }
    }
    return -1;
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
