package io.deltasync.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.delta.Delta;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A receiver telling its sender, in a signed {@link Envelope.Type#REWIND} envelope, where to
 * resume: it refused the sender's batch because the batch continues from a seq it has not processed
 * (it lost batches it had acknowledged, e.g. restored from a backup). The sender moves its {@code
 * lastPushed} for the receiver back to {@code lastProcessed}, never forward.
 *
 * @param lastProcessed the receiver's {@code lastProcessed} for the sender: where to resume
 * @param refusedBatch the id of the batch it refused, for logs
 * @param refusedAfterSeq the seq that batch continued from, for logs
 */
public record Rewind(long lastProcessed, String refusedBatch, long refusedAfterSeq) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public Rewind {
    if (lastProcessed < 0) {
      throw new IllegalArgumentException("lastProcessed must be >= 0, but was " + lastProcessed);
    }
    Delta.requireToken(refusedBatch, "refusedBatch");
    if (refusedAfterSeq <= lastProcessed) {
      throw new IllegalArgumentException(
          "refusedAfterSeq must be > lastProcessed "
              + lastProcessed
              + " (the batch was refused for starting after it), but was "
              + refusedAfterSeq);
    }
  }

  /** {@code {"lastProcessed":…,"refusedBatch":"…","refusedAfterSeq":…}} */
  public byte[] encode() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("lastProcessed", lastProcessed);
    json.put("refusedBatch", refusedBatch);
    json.put("refusedAfterSeq", refusedAfterSeq);
    try {
      return JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException("could not write a rewind", e);
    }
  }

  /** Decodes a rewind; throws {@link ShipException} (MALFORMED) naming what is wrong. */
  public static Rewind decode(byte[] json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null
          || !node.path("lastProcessed").isIntegralNumber()
          || !node.path("lastProcessed").canConvertToLong()
          || !node.path("refusedBatch").isTextual()
          || !node.path("refusedAfterSeq").isIntegralNumber()
          || !node.path("refusedAfterSeq").canConvertToLong()) {
        throw new ShipException(
            ShipException.Reason.MALFORMED,
            "malformed rewind: expected {\"lastProcessed\":<seq>,\"refusedBatch\":<batch id>,"
                + "\"refusedAfterSeq\":<seq>}");
      }
      return new Rewind(
          node.get("lastProcessed").asLong(),
          node.get("refusedBatch").asText(),
          node.get("refusedAfterSeq").asLong());
    } catch (IOException | IllegalArgumentException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED, "malformed rewind: " + e.getMessage(), e);
    }
  }
}
