package io.deltasync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The three ways nodes ship deltas, each with the shipped route files the tests load. */
enum Transport {
  HTTP("HTTP"),
  JMS("JMS"),
  FILES("files");

  private static final String EXAMPLES = "classpath:deltasync/examples/";

  final String label;

  Transport(String label) {
    this.label = label;
  }

  /** The hub's and each client's transport properties. */
  record Wiring(Map<String, Object> hub, Map<String, Object> client) {}

  /**
   * The properties of a hub and its clients over this transport, on fresh ports; JMS keeps its
   * broker's journal, files their drop folder, under {@code dir}.
   */
  Wiring wiring(Path dir) {
    Map<String, Object> hub = new LinkedHashMap<>();
    Map<String, Object> client = new LinkedHashMap<>();
    switch (this) {
      case HTTP -> {
        int port = freePort();
        hub.put("server.port", port);
        hub.put("deltasync.ship.routes", EXAMPLES + "http-serve.camel.yaml");
        client.put("deltasync.ship.upstream-url", "http://localhost:" + port);
        client.put(
            "deltasync.ship.routes",
            EXAMPLES + "http-push.camel.yaml," + EXAMPLES + "http-pull.camel.yaml");
      }
      case JMS -> {
        String broker = "tcp://127.0.0.1:" + freePort();
        String routes = EXAMPLES + "jms-send.camel.yaml," + EXAMPLES + "jms-receive.camel.yaml";
        hub.put("spring.artemis.mode", "embedded");
        hub.put("spring.artemis.embedded.enabled", "true");
        // persistent, as a hub must be: the outbox counts a batch delivered once the broker has it
        hub.put("spring.artemis.embedded.persistent", "true");
        hub.put("spring.artemis.embedded.data-directory", dir.resolve("broker").toString());
        hub.put("deltasync.ship.broker-acceptor", broker);
        hub.put("deltasync.ship.routes", routes);
        client.put("spring.artemis.mode", "native");
        client.put("spring.artemis.broker-url", broker);
        client.put("deltasync.ship.routes", routes);
      }
      case FILES -> {
        String routes = EXAMPLES + "file-send.camel.yaml," + EXAMPLES + "file-receive.camel.yaml";
        for (Map<String, Object> node : java.util.List.of(hub, client)) {
          node.put("deltasync.ship.folder", dir.resolve("drop").toString());
          node.put("deltasync.ship.dead-letter-uri", "file:" + dir.resolve("dead-letter"));
          node.put("deltasync.ship.routes", routes);
        }
      }
    }
    return new Wiring(hub, client);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
