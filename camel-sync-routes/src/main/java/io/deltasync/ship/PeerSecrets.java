package io.deltasync.ship;

import io.deltasync.delta.Delta;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The shared secret of each peer this node talks to.
 *
 * <p>Each pair of nodes shares one secret: a client and its hub configure the same value, the
 * client under the hub's id and the hub under the client's id. Envelopes between them are signed
 * and verified with it, so a client cannot pose as the hub or as another client. Immutable.
 */
public final class PeerSecrets {

  /** The shortest secret accepted, in bytes: shorter ones are too easy to guess. */
  public static final int MIN_SECRET_BYTES = 16;

  private final Map<String, byte[]> secrets;

  private PeerSecrets(Map<String, byte[]> secrets) {
    this.secrets = secrets;
  }

  /**
   * The secrets of the given peers.
   *
   * @param secrets peer node id to secret
   * @throws IllegalArgumentException naming the peer whose id or secret is not acceptable
   */
  public static PeerSecrets of(Map<String, String> secrets) {
    Map<String, byte[]> bytes = new TreeMap<>();
    secrets.forEach(
        (peer, secret) -> {
          Delta.requireNodeId(peer, "peer id");
          if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(
                "deltasync.ship.peers." + peer + ".secret must be set, but was empty");
          }
          byte[] value = secret.getBytes(StandardCharsets.UTF_8);
          if (value.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                "deltasync.ship.peers."
                    + peer
                    + ".secret must be at least "
                    + MIN_SECRET_BYTES
                    + " bytes, but was "
                    + value.length);
          }
          bytes.put(peer, value);
        });
    return new PeerSecrets(bytes);
  }

  /** The secret shared with the peer, if one is configured. */
  public Optional<byte[]> find(String peer) {
    byte[] secret = secrets.get(peer);
    return secret == null ? Optional.empty() : Optional.of(secret.clone());
  }

  /** The secret shared with the peer; throws naming the missing property when there is none. */
  public byte[] require(String peer) {
    return find(peer)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no secret is configured for peer "
                        + peer
                        + "; set deltasync.ship.peers."
                        + peer
                        + ".secret"));
  }

  /** The peers that have a secret, sorted. */
  public java.util.Set<String> peers() {
    return java.util.Collections.unmodifiableSet(secrets.keySet());
  }
}
