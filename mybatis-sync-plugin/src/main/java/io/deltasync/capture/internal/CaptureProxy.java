package io.deltasync.capture.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.Set;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;

/**
 * Wraps an executor so that the methods {@link SessionCapture} intercepts go through it, as
 * MyBatis' {@code Plugin.wrap} does, but with the intercepted methods looked up once rather than by
 * reflection for every session opened.
 */
public final class CaptureProxy implements InvocationHandler {

  private static final Set<Method> INTERCEPTED = intercepted();

  private final Executor target;
  private final SessionCapture capture;

  private CaptureProxy(Executor target, SessionCapture capture) {
    this.target = target;
    this.capture = capture;
  }

  /** The executor with its session's capture in front. */
  public static Executor wrap(Executor target, SessionCapture capture) {
    return (Executor)
        Proxy.newProxyInstance(
            target.getClass().getClassLoader(),
            new Class<?>[] {Executor.class},
            new CaptureProxy(target, capture));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    try {
      if (INTERCEPTED.contains(method)) {
        return capture.intercept(new Invocation(target, method, args));
      }
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      // what the executor threw, as the caller would have seen it without capture
      throw e.getCause();
    }
  }

  private static Set<Method> intercepted() {
    Set<Method> methods = new HashSet<>();
    for (Signature signature : SessionCapture.class.getAnnotation(Intercepts.class).value()) {
      try {
        methods.add(Executor.class.getMethod(signature.method(), signature.args()));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("MyBatis' Executor has no method " + signature.method(), e);
      }
    }
    return Set.copyOf(methods);
  }
}
