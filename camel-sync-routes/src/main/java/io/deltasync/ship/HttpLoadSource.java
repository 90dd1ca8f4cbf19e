package io.deltasync.ship;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.load.LoadException;
import io.deltasync.load.LoadSource;
import io.deltasync.load.LoadStart;
import io.deltasync.load.ReverseChunk;
import io.deltasync.load.ReverseResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A hub's load endpoint as one client calls it over HTTP: each call posts a signed {@link
 * LoadRequest} to {@code <baseUrl>/deltasync/load} and opens the hub's signed answer, so a {@code
 * Loader} on the client copies the hub's snapshot over the network.
 *
 * <pre>{@code
 * LoadSource hub = new HttpLoadSource("hub", "https://hub.example:8443", "node-c", secret);
 * new Loader(dataSource, "node-c", replicated, hub, 1_000).run();
 * }</pre>
 *
 * Status 410 (the hub no longer holds the snapshot) throws {@link
 * io.deltasync.load.LoadSessionLostException}; any other refusal (400, 401) and an unreachable hub
 * throw a {@link LoadException} naming the status and the hub's message. Thread-safe.
 */
public final class HttpLoadSource implements LoadSource {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String hubId;
  private final String clientId;
  private final URI url;
  private final byte[] secret;
  private final PeerSecrets hubSecret;
  private final HttpClient http;

  /**
   * @param hubId the hub's node id
   * @param baseUrl the hub's base URL, e.g. {@code https://hub.example:8443}
   * @param clientId this node's id
   * @param secret the secret this node and the hub share ({@code
   *     deltasync.ship.peers.<hub>.secret})
   */
  public HttpLoadSource(String hubId, String baseUrl, String clientId, String secret) {
    this.hubId = Delta.requireNodeId(hubId, "hubId");
    this.clientId = Delta.requireNodeId(clientId, "clientId");
    this.url =
        URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/").resolve("deltasync/load");
    this.secret = secret.getBytes(UTF_8);
    this.hubSecret = PeerSecrets.of(Map.of(hubId, secret));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
  }

  @Override
  public String nodeId() {
    return hubId;
  }

  @Override
  public LoadStart open(String requester, List<String> tables) {
    return LoadJson.decodeStart(ask(requester, LoadRequest.open(tables)));
  }

  @Override
  public List<Row> chunk(
      String requester, String loadId, String table, List<String> after, int limit) {
    return LoadJson.decodeRows(ask(requester, LoadRequest.chunk(loadId, table, after, limit)));
  }

  @Override
  public void close(String requester, String loadId) {
    ask(requester, LoadRequest.close(loadId));
  }

  @Override
  public ReverseResult reverse(String requester, ReverseChunk chunk) {
    return LoadJson.decodeReverse(ask(requester, LoadRequest.reverse(chunk)));
  }

  private byte[] ask(String requester, LoadRequest request) {
    if (!requester.equals(clientId)) {
      throw new IllegalArgumentException(
          "this hub connection loads for " + clientId + ", but " + requester + " asked");
    }
    String id = DeltaIds.next();
    Envelope envelope = new Envelope(Envelope.Type.LOAD, clientId, hubId, id, request.encode());
    HttpRequest post =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", Envelopes.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(Envelopes.seal(envelope, secret)))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new LoadException("could not reach " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadException("interrupted while asking " + url, e);
    }
    return LoadAnswers.open(
        hubId, clientId, hubSecret, id, request, response.statusCode(), response.body());
  }
}
