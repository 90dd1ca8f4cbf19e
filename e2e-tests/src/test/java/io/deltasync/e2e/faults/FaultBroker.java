package io.deltasync.e2e.faults;

import ch.qos.logback.classic.Level;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.LoggerFactory;

/**
 * The JMS broker of the fault suite: a real ActiveMQ Artemis broker in the test JVM with a TCP
 * acceptor on loopback, set up as Spring Boot sets up its embedded one (no security, every address
 * sending what it cannot deliver to {@code DLQ}). It lives outside every node's process, so it
 * survives every kill of the nemesis, and its nodes reach it only through their {@link
 * JmsFaultProxy}. It keeps messages in memory: it never goes down while the suite runs.
 */
final class FaultBroker implements AutoCloseable {

  static final String DEAD_LETTERS = "DLQ";

  private final EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
  private final int port = FaultSystem.freePort();

  FaultBroker() {
    // one audit line per message sent, delivered and acknowledged would drown the test's output
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.activemq.audit"))
        .setLevel(Level.WARN);
    Configuration configuration =
        new ConfigurationImpl()
            .setName("faults-broker")
            .setPersistenceEnabled(false)
            .setSecurityEnabled(false)
            .setJMXManagementEnabled(false)
            .addAddressSetting(
                "#",
                new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(DEAD_LETTERS))
                    .setExpiryAddress(SimpleString.of("ExpiryQueue")))
            .addQueueConfiguration(
                QueueConfiguration.of(DEAD_LETTERS).setRoutingType(RoutingType.ANYCAST))
            .addQueueConfiguration(
                QueueConfiguration.of("ExpiryQueue").setRoutingType(RoutingType.ANYCAST));
    try {
      configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
      broker.setConfiguration(configuration).start();
    } catch (Exception e) {
      throw new IllegalStateException("the fault suite's Artemis broker did not start", e);
    }
  }

  /** The port of its TCP acceptor. */
  int port() {
    return port;
  }

  /**
   * The messages each named queue holds now (waiting, or delivered and not yet acknowledged); 0 for
   * a queue that does not exist.
   */
  Map<String, Long> depths(List<String> queues) {
    Map<String, Long> depths = new TreeMap<>();
    for (String name : queues) {
      Queue queue = broker.getActiveMQServer().locateQueue(name);
      depths.put(name, queue == null ? 0 : queue.getMessageCount());
    }
    return depths;
  }

  @Override
  public void close() {
    try {
      broker.stop();
    } catch (Exception e) {
      // stopping anyway
    }
  }
}
