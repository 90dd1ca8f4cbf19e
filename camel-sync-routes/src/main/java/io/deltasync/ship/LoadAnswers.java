package io.deltasync.ship;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.load.LoadException;
import io.deltasync.load.LoadSessionLostException;
import java.io.IOException;
import java.util.Locale;

/**
 * A hub's answer to one signed {@link LoadRequest}, however it travelled (an HTTP response, a reply
 * on a queue): a refusal becomes the exception a {@code Loader} acts on, naming the status and the
 * hub's words; an answer is opened, checked to come from the hub for this very request, and its
 * payload returned.
 */
final class LoadAnswers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LoadAnswers() {}

  /**
   * @param status 200 for an answer, else the refusal's status (410: the hub no longer holds the
   *     load's snapshot)
   * @param body the sealed answer, or the refusal's text
   * @throws io.deltasync.load.LoadSessionLostException on 410
   * @throws LoadException on any other refusal, or an answer that does not open or is not the one
   *     asked for
   */
  static byte[] open(
      String hubId,
      String clientId,
      PeerSecrets hubSecret,
      String requestId,
      LoadRequest request,
      int status,
      byte[] body) {
    return open(
        hubId,
        clientId,
        hubSecret,
        requestId,
        Envelope.Type.LOAD,
        "a load request ("
            + request.op().name().toLowerCase(Locale.ROOT)
            + (request.table() == null ? "" : " " + request.table())
            + ")",
        status,
        body);
  }

  /**
   * {@link #open(String, String, PeerSecrets, String, LoadRequest, int, byte[])} for a request of
   * any type that travels as a load's do (a verify request through a load route).
   *
   * @param type the type of the request, which its answer has too
   * @param asked what was asked, for messages: {@code a verify request (page note)}
   */
  static byte[] open(
      String hubId,
      String clientId,
      PeerSecrets hubSecret,
      String requestId,
      Envelope.Type type,
      String asked,
      int status,
      byte[] body) {
    if (status != 200) {
      String what =
          " to "
              + asked
              + " from "
              + clientId
              + ": "
              + (body == null ? "" : new String(body, UTF_8).strip());
      if (status == 410) {
        throw new LoadSessionLostException(hubId + " answered 410" + what);
      }
      throw new LoadException(hubId + " answered " + status + what);
    }
    Envelope answer;
    try {
      answer = Envelopes.open(body, hubSecret, clientId, ShipLimits.DEFAULT);
    } catch (ShipException e) {
      throw new LoadException(
          "could not open "
              + hubId
              + "'s "
              + type.name().toLowerCase(Locale.ROOT)
              + " answer: "
              + e.getMessage(),
          e);
    }
    if (answer.type() != type || !answer.sender().equals(hubId) || !answer.id().equals(requestId)) {
      throw new LoadException(
          "asked " + hubId + " with " + asked + " " + requestId + ", but got " + answer);
    }
    byte[] payload = answer.payloadView();
    if (startsWith(payload, LoadProducer.REFUSED)) {
      // a hub that answers through a folder sends its refusal signed, in band
      JsonNode refusal = refusal(hubId, payload);
      return open(
          hubId,
          clientId,
          hubSecret,
          requestId,
          type,
          asked,
          refusal.path("refused").asInt(400),
          refusal.path("reason").asText("").getBytes(UTF_8));
    }
    return payload;
  }

  private static boolean startsWith(byte[] payload, String prefix) {
    byte[] start = prefix.getBytes(UTF_8);
    if (payload.length < start.length) {
      return false;
    }
    for (int i = 0; i < start.length; i++) {
      if (payload[i] != start[i]) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode refusal(String hubId, byte[] payload) {
    try {
      JsonNode node = JSON.readTree(payload);
      if (node.path("refused").asInt(200) == 200) {
        throw new LoadException(hubId + " sent a refusal without its status");
      }
      return node;
    } catch (IOException e) {
      throw new LoadException("could not read " + hubId + "'s refusal: " + e.getMessage(), e);
    }
  }
}
