package io.deltasync.ship;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The client's side of one of a hub's HTTP endpoints that take a sealed envelope by POST and answer
 * with one (loads, verifies): the endpoint's URL under the hub's base URL, and one HTTP/1.1 client
 * with the timeouts they share. Thread-safe.
 */
final class EnvelopePost {

  /** How long to wait for the connection and for each answer. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI url;
  private final HttpClient http;

  /**
   * @param baseUrl the hub's base URL, e.g. {@code https://hub.example:8443}
   * @param path the endpoint under it, e.g. {@code deltasync/load}
   */
  EnvelopePost(String baseUrl, String path) {
    this.url = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/").resolve(path);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
  }

  /** The endpoint's URL, for messages. */
  URI url() {
    return url;
  }

  /** Posts the sealed envelope and returns the hub's answer, whatever its status. */
  HttpResponse<byte[]> post(byte[] sealed) throws IOException, InterruptedException {
    HttpRequest post =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", Envelopes.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(sealed))
            .build();
    return http.send(post, HttpResponse.BodyHandlers.ofByteArray());
  }
}
