package io.deltasync.ship.autoconfigure;

import io.deltasync.ship.DeltaSyncComponent;
import io.deltasync.ship.ShipLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Shipping settings: the peers this node talks to, its route files, and what it accepts. */
@ConfigurationProperties("deltasync.ship")
public class DeltaSyncShipProperties {

  /** Where refused messages go unless deltasync.ship.dead-letter-uri says otherwise. */
  public static final String DEFAULT_DEAD_LETTER_URI =
      "log:io.deltasync.ship.dead-letter?level=WARN&showBody=false";

  /** Whether to register the deltasync: Camel component and load the route templates. */
  private boolean enabled = true;

  /** The peers this node exchanges deltas with, by node id. */
  private Map<String, Peer> peers = new LinkedHashMap<>();

  /**
   * Route files to load, e.g. classpath:deltasync/examples/http-push.camel.yaml or
   * file:/etc/app/routes/*.camel.yaml; added to camel.main.routes-include-pattern.
   */
  private List<String> routes = new ArrayList<>();

  /** Base URL of this node's hub (deltasync.node.upstream), for the HTTP routes. */
  private String upstreamUrl;

  /** The drop folder of the file routes: each node reads the sub-folder named by its id. */
  private String folder;

  /** Where queue and folder routes put messages they refuse (a Camel endpoint URI). */
  private String deadLetterUri = DEFAULT_DEAD_LETTER_URI;

  /**
   * A URL on which the embedded Artemis broker also accepts remote connections, e.g.
   * tcp://0.0.0.0:61616; unset, the embedded broker is reachable in this process only.
   */
  private String brokerAcceptor;

  /** Largest envelope accepted as received (compressed), in bytes. */
  private long maxEnvelopeBytes = ShipLimits.DEFAULT.maxEnvelopeBytes();

  /** Largest size an envelope may expand to, in bytes. */
  private long maxBatchBytes = ShipLimits.DEFAULT.maxBatchBytes();

  /** Most deltas accepted in one batch. */
  private int maxBatchDeltas = ShipLimits.DEFAULT.maxBatchDeltas();

  /**
   * Most pulls this node's HTTP feed holds at once (long polls); each occupies a thread of the
   * executor platform-http runs requests on, which gets this many plus 16 core threads by default.
   */
  private int maxHeldPulls = DeltaSyncComponent.DEFAULT_MAX_HELD_PULLS;

  public String getUpstreamUrl() {
    return upstreamUrl;
  }

  public void setUpstreamUrl(String upstreamUrl) {
    this.upstreamUrl = upstreamUrl;
  }

  public String getFolder() {
    return folder;
  }

  public void setFolder(String folder) {
    this.folder = folder;
  }

  public String getDeadLetterUri() {
    return deadLetterUri;
  }

  public void setDeadLetterUri(String deadLetterUri) {
    this.deadLetterUri = deadLetterUri;
  }

  public String getBrokerAcceptor() {
    return brokerAcceptor;
  }

  public void setBrokerAcceptor(String brokerAcceptor) {
    this.brokerAcceptor = brokerAcceptor;
  }

  /** One peer. */
  public static class Peer {

    /** The secret this node and the peer share (at least 16 bytes); signs every envelope. */
    private String secret;

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Map<String, Peer> getPeers() {
    return peers;
  }

  public void setPeers(Map<String, Peer> peers) {
    this.peers = peers;
  }

  public List<String> getRoutes() {
    return routes;
  }

  public void setRoutes(List<String> routes) {
    this.routes = routes;
  }

  public long getMaxEnvelopeBytes() {
    return maxEnvelopeBytes;
  }

  public void setMaxEnvelopeBytes(long maxEnvelopeBytes) {
    this.maxEnvelopeBytes = maxEnvelopeBytes;
  }

  public long getMaxBatchBytes() {
    return maxBatchBytes;
  }

  public void setMaxBatchBytes(long maxBatchBytes) {
    this.maxBatchBytes = maxBatchBytes;
  }

  public int getMaxBatchDeltas() {
    return maxBatchDeltas;
  }

  public void setMaxBatchDeltas(int maxBatchDeltas) {
    this.maxBatchDeltas = maxBatchDeltas;
  }

  public int getMaxHeldPulls() {
    return maxHeldPulls;
  }

  public void setMaxHeldPulls(int maxHeldPulls) {
    this.maxHeldPulls = maxHeldPulls;
  }

  /** The limits as a value. */
  public ShipLimits limits() {
    return new ShipLimits(maxEnvelopeBytes, maxBatchBytes, maxBatchDeltas);
  }

  /** Peer id to secret, for every peer. */
  public Map<String, String> secrets() {
    Map<String, String> secrets = new LinkedHashMap<>();
    peers.forEach((id, peer) -> secrets.put(id, peer.getSecret()));
    return secrets;
  }
}
