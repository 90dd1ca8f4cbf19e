package io.deltasync.capture;

import io.deltasync.capture.internal.CaptureProxy;
import io.deltasync.capture.internal.DeltaBuilder;
import io.deltasync.capture.internal.SessionCapture;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.delta.HybridClock;
import io.deltasync.delta.NameFilter;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;

/**
 * The MyBatis plugin that records every executed INSERT, UPDATE and DELETE as a delta in {@code
 * ds_delta}, on the same connection and in the same transaction as the change.
 *
 * <pre>{@code
 * <plugins>
 *   <plugin interceptor="io.deltasync.capture.DeltaSyncInterceptor">
 *     <property name="nodeId" value="node-a"/>
 *     <property name="excludeTables" value="audit_*"/>
 *   </plugin>
 * </plugins>
 * }</pre>
 *
 * <p>Each SqlSession gets its own capture state, so the interceptor is thread-safe. Statements that
 * change no row, that the criteria exclude, or that run inside {@link SyncContext#suppressed} are
 * not recorded. See {@link CaptureSettings#fromProperties} for the property keys.
 *
 * <p>Changes it could not record are refused with a {@link DeltaCaptureException} before they run,
 * unless the criteria exclude them or capture is suppressed: MERGE and REPLACE/UPSERT statements,
 * SQL holding several statements that change data, and changes mapped as queries ({@code <select>}
 * running {@code INSERT ... RETURNING}), and statements calling a function that returns a different
 * value on each node ({@code now()}, {@code random()}, {@code uuid()}, a sequence's next value)
 * without pinning one row by its primary key, unless {@link CaptureSettings#evaluateOnEachNode}
 * lists them. Such a statement that does pin its row is recorded with the values the functions
 * returned, read back from the row. When recording fails after a statement ran, the transaction's
 * commit fails until it is rolled back.
 */
@Intercepts({
  @Signature(
      type = Executor.class,
      method = "update",
      args = {MappedStatement.class, Object.class})
})
public class DeltaSyncInterceptor implements Interceptor {

  private volatile DeltaBuilder builder;
  private volatile ConflictPolicies conflictPolicies = ConflictPolicies.serverWins();

  /** For MyBatis XML configuration; {@link #setProperties} must follow. */
  public DeltaSyncInterceptor() {}

  /**
   * A configured interceptor, for programmatic and Spring configuration, stamping deltas with the
   * node's clock ({@link HybridClock#forNode}), which the node's applier advances.
   */
  public DeltaSyncInterceptor(CaptureSettings settings, List<DeltaFilter> filters) {
    this(settings, filters, HybridClock.forNode(settings.nodeId()));
  }

  /**
   * A configured interceptor stamping deltas with the given clock; give the node's applier the same
   * clock, so that what it applies orders before what this node captures later.
   */
  public DeltaSyncInterceptor(
      CaptureSettings settings, List<DeltaFilter> filters, HybridClock clock) {
    this.builder = new DeltaBuilder(settings, filters, clock);
  }

  @Override
  public void setProperties(Properties properties) {
    CaptureSettings settings = CaptureSettings.fromProperties(properties);
    List<DeltaFilter> filters = new ArrayList<>();
    for (String className : NameFilter.splitList(properties.getProperty("filters"))) {
      filters.add(instantiate(className));
    }
    this.conflictPolicies = ConflictPolicies.fromProperties(properties);
    this.builder = new DeltaBuilder(settings, filters, HybridClock.forNode(settings.nodeId()));
  }

  /**
   * The conflict policies of the {@code conflictPolicy} and {@code conflictPolicy.<table>}
   * properties ({@code server-wins} for every table when none is set), for building a hub's {@link
   * io.deltasync.node.SyncNode}. Capture itself does not use them.
   */
  public ConflictPolicies conflictPolicies() {
    return conflictPolicies;
  }

  /** The settings in force. */
  public CaptureSettings settings() {
    return requireBuilder().settings();
  }

  @Override
  public Object plugin(Object target) {
    if (target instanceof Executor executor) {
      return CaptureProxy.wrap(executor, new SessionCapture(requireBuilder(), executor));
    }
    return target;
  }

  /** Never reached: each executor is wrapped with its own session capture. */
  @Override
  public Object intercept(Invocation invocation) throws Throwable {
    return invocation.proceed();
  }

  private DeltaBuilder requireBuilder() {
    DeltaBuilder current = builder;
    if (current == null) {
      throw new IllegalStateException(
          "DeltaSyncInterceptor is not configured: give it at least the nodeId property");
    }
    return current;
  }

  private static DeltaFilter instantiate(String className) {
    try {
      Class<?> type =
          Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      if (!DeltaFilter.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(
            "filter " + className + " does not implement " + DeltaFilter.class.getName());
      }
      return (DeltaFilter) type.getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("filter class " + className + " was not found", e);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      throw new IllegalArgumentException(
          "filter "
              + className
              + " could not be created with its no-argument constructor: "
              + cause,
          cause);
    }
  }
}
