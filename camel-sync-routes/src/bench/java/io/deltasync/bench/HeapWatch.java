package io.deltasync.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peaks of this JVM's heap: the most it held right after a garbage collection (the live data
 * plus what that collection left for later: what the process really needs), and the most it held at
 * any sampled moment (garbage included, bounded by {@code -Xmx}).
 */
final class HeapWatch {

  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();

  /** Starts listening to every collector's notifications. */
  static HeapWatch start() {
    HeapWatch watch = new HeapWatch();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector)
          .addNotificationListener(
              (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    notification.getType())) {
                  watch.collected(
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData()));
                }
              },
              null,
              null);
    }
    return watch;
  }

  private void collected(GarbageCollectionNotificationInfo info) {
    long after =
        info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
            .filter(pool -> isHeap(pool.getKey()))
            .mapToLong(pool -> pool.getValue().getUsed())
            .sum();
    peakAfterGc.accumulateAndGet(after, Math::max);
    collections.incrementAndGet();
  }

  private static boolean isHeap(String pool) {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .anyMatch(
            bean ->
                bean.getName().equals(pool)
                    && bean.getType() == java.lang.management.MemoryType.HEAP);
  }

  /** Samples the heap now; returns a line with the peaks so far, in bytes. */
  String sample() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    peakUsed.accumulateAndGet(heap.getUsed(), Math::max);
    return "heap afterGc="
        + peakAfterGc.get()
        + " used="
        + peakUsed.get()
        + " max="
        + heap.getMax()
        + " collections="
        + collections.get();
  }
}
