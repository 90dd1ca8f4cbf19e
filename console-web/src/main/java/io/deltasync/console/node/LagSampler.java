package io.deltasync.console.node;

import io.deltasync.cluster.ClusterView;
import io.deltasync.cluster.PeerLag;
import io.deltasync.console.system.ConsoleProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Samples each peer's lag every {@code deltasync.console.lag-sample-interval}, in memory, for the
 * Nodes page's charts and the lag meters; keeps {@code lag-history} of samples. Without a cluster
 * there is nothing to sample. Thread-safe.
 */
@Component
public class LagSampler {

  private static final Logger LOG = LoggerFactory.getLogger(LagSampler.class);

  private final ObjectProvider<ClusterView> cluster;
  private final ConsoleProperties properties;
  private final ObjectProvider<MeterRegistry> meters;
  private final Map<String, Deque<LagSample>> samples = new ConcurrentHashMap<>();
  private volatile List<PeerLag> latest = List.of();
  private ScheduledExecutorService timer;

  public LagSampler(
      ObjectProvider<ClusterView> cluster,
      ConsoleProperties properties,
      ObjectProvider<MeterRegistry> meters) {
    this.cluster = cluster;
    this.properties = properties;
    this.meters = meters;
  }

  @PostConstruct
  void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "deltasync-console-lag");
              thread.setDaemon(true);
              return thread;
            });
    long every = properties.getLagSampleInterval().toMillis();
    timer.scheduleWithFixedDelay(this::sampleQuietly, 0, every, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }

  /** Takes one sample of every peer's lag now. */
  public void sample() {
    ClusterView view = cluster.getIfAvailable();
    if (view == null) {
      return;
    }
    Instant now = Instant.now();
    Instant oldest = now.minus(properties.getLagHistory());
    List<PeerLag> lags = view.lag();
    for (PeerLag lag : lags) {
      Deque<LagSample> history =
          samples.computeIfAbsent(
              key(lag.nodeId(), lag.peerId()), key -> register(lag.nodeId(), lag.peerId()));
      synchronized (history) {
        history.addLast(new LagSample(now, lag.deltasBehind(), lag.secondsBehind()));
        while (!history.isEmpty() && history.peekFirst().at().isBefore(oldest)) {
          history.removeFirst();
        }
      }
    }
    latest = List.copyOf(lags);
  }

  /** The lag of every peer at the last sample. */
  public List<PeerLag> latest() {
    return latest;
  }

  /** The samples of one pointer, oldest first. */
  public List<LagSample> history(String nodeId, String peerId) {
    Deque<LagSample> history = samples.get(key(nodeId, peerId));
    if (history == null) {
      return List.of();
    }
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  /** A new history, with the pointer's lag gauges registered, reading its latest sample. */
  private Deque<LagSample> register(String nodeId, String peerId) {
    Deque<LagSample> history = new ArrayDeque<>();
    MeterRegistry registry = meters.getIfAvailable();
    if (registry != null) {
      Gauge.builder("deltasync.peer.pending", history, h -> last(h).deltas())
          .tags("node", nodeId, "peer", peerId)
          .description("Deltas the peer has not acknowledged")
          .register(registry);
      Gauge.builder("deltasync.peer.lag.seconds", history, h -> last(h).seconds())
          .tags("node", nodeId, "peer", peerId)
          .description("Age of the oldest delta the peer has not acknowledged")
          .register(registry);
    }
    return history;
  }

  private static LagSample last(Deque<LagSample> history) {
    synchronized (history) {
      return history.isEmpty() ? new LagSample(Instant.EPOCH, 0, 0) : history.peekLast();
    }
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      LOG.debug("Could not sample the peers' lag", e);
    }
  }

  private static String key(String nodeId, String peerId) {
    return nodeId + "/" + peerId;
  }

  /**
   * One sample.
   *
   * @param at when it was taken
   * @param deltas deltas behind
   * @param seconds age of the oldest pending delta
   */
  public record LagSample(Instant at, long deltas, long seconds) {}
}
