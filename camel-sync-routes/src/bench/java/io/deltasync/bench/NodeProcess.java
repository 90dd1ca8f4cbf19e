package io.deltasync.bench;

import io.deltasync.ship.support.ShipTestApplication;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * One node in a process of its own, for table 3: the test support's node application with the
 * properties given as {@code key=value} arguments. Prints {@code BENCH ready} once the application
 * (and so its routes) started, then {@code BENCH heap ...} ({@link HeapWatch}) every {@link
 * #SAMPLE_MILLIS} ms until it is killed.
 */
public final class NodeProcess {

  static final long SAMPLE_MILLIS = 100;

  private NodeProcess() {}

  public static void main(String[] args) throws InterruptedException {
    HeapWatch heap = HeapWatch.start();
    Map<String, Object> properties = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      properties.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    new SpringApplicationBuilder(ShipTestApplication.class).properties(properties).run();
    System.out.println("BENCH ready");
    while (true) {
      System.out.println("BENCH " + heap.sample());
      Thread.sleep(SAMPLE_MILLIS);
    }
  }
}
