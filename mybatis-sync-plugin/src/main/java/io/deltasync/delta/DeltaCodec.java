package io.deltasync.delta;

import com.fasterxml.jackson.core.JsonToken;
import io.deltasync.delta.internal.JsonIn;
import io.deltasync.delta.internal.JsonOut;
import io.deltasync.delta.internal.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact JSON encoding of deltas and batches, used on the wire and in storage.
 *
 * <p>Fields are written in one fixed order and values keep their type (decimals and floating point
 * as strings, timestamps as ISO-8601, binary as base64), so decoding and encoding again gives the
 * same bytes. Every document carries {@link #FORMAT_VERSION} as {@code "v"}; a reader refuses
 * versions it does not know. Stateless and thread-safe.
 *
 * <pre>{@code
 * {"v":1,"id":"019a…","origin":"node-a","seq":7,"txId":"019a…","capturedAt":1234,"basis":0,
 *  "statementId":"com.acme.NoteMapper.insert","kind":"INSERT","table":"note","rowKey":{"id":"42"},
 *  "sql":"INSERT INTO note (id, title) VALUES (?, ?)","params":[["LONG",42],["STRING","Hi"]]}
 * }</pre>
 */
public final class DeltaCodec {

  /** The format version of deltas, and of batches that do not name the sender's incarnation. */
  public static final int FORMAT_VERSION = 1;

  /**
   * The format version of batches that name the sender's {@link Incarnation}: {@code "incarnation"}
   * and {@code "base"} follow {@code "upToSeq"}. Readers before it refuse such batches; this code
   * reads both.
   */
  public static final int BATCH_FORMAT_VERSION = 2;

  private DeltaCodec() {}

  /** Encodes one delta as UTF-8 JSON. */
  public static byte[] encode(Delta delta) {
    return JsonOut.write(generator -> JsonOut.writeDelta(generator, delta));
  }

  /** Decodes one delta; throws {@link DeltaFormatException} naming what is wrong. */
  public static Delta decode(byte[] json) {
    return JsonIn.read(json, "delta", JsonIn::readDelta);
  }

  /**
   * Encodes a batch: {@code {"v":1,"sender":…,"batchId":…,"afterSeq":…,"upToSeq":…,"deltas":[…]}},
   * or, when it names the sender's incarnation, {@code {"v":2,…,"upToSeq":…,"incarnation":…,
   * "base":…,"deltas":[…]}}.
   */
  public static byte[] encodeBatch(DeltaBatch batch) {
    Incarnation incarnation = batch.incarnation();
    return JsonOut.write(
        generator -> {
          generator.writeStartObject();
          generator.writeNumberField(
              "v", incarnation == null ? FORMAT_VERSION : BATCH_FORMAT_VERSION);
          generator.writeStringField("sender", batch.sender());
          generator.writeStringField("batchId", batch.batchId());
          generator.writeNumberField("afterSeq", batch.afterSeq());
          generator.writeNumberField("upToSeq", batch.upToSeq());
          if (incarnation != null) {
            generator.writeStringField("incarnation", incarnation.id());
            generator.writeNumberField("base", incarnation.baseSeq());
          }
          generator.writeArrayFieldStart("deltas");
          for (Delta delta : batch.deltas()) {
            JsonOut.writeDelta(generator, delta);
          }
          generator.writeEndArray();
          generator.writeEndObject();
        });
  }

  /** Decodes a batch; throws {@link DeltaFormatException} naming what is wrong. */
  public static DeltaBatch decodeBatch(byte[] json) {
    return JsonIn.read(
        json,
        "batch",
        parser -> {
          JsonIn.expect(parser, JsonToken.START_OBJECT, "a batch object");
          long version = JsonIn.checkVersion(parser, BATCH_FORMAT_VERSION);
          String sender = JsonIn.stringField(parser, "sender");
          String batchId = JsonIn.stringField(parser, "batchId");
          long afterSeq = JsonIn.longField(parser, "afterSeq");
          long upToSeq = JsonIn.longField(parser, "upToSeq");
          Incarnation incarnation = null;
          if (version == BATCH_FORMAT_VERSION) {
            String id = JsonIn.stringField(parser, "incarnation");
            incarnation = new Incarnation(id, JsonIn.longField(parser, "base"));
          }
          JsonIn.field(parser, "deltas");
          JsonIn.expect(parser, JsonToken.START_ARRAY, "the deltas array");
          List<Delta> deltas = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            deltas.add(JsonIn.readDelta(parser));
          }
          JsonIn.expect(parser, JsonToken.END_OBJECT, "the end of the batch");
          return new DeltaBatch(sender, batchId, afterSeq, upToSeq, deltas, incarnation);
        });
  }

  /** Encodes parameters alone, as the JSON array used inside a delta. */
  public static String encodeParams(List<Param> params) {
    return JsonText.params(params);
  }

  /** Decodes parameters encoded by {@link #encodeParams(List)}. */
  public static List<Param> decodeParams(String json) {
    return JsonIn.read(
        json.getBytes(StandardCharsets.UTF_8),
        "parameter list",
        parser -> {
          parser.nextToken();
          return JsonIn.readParams(parser);
        });
  }

  /** Encodes a row key as a JSON object sorted by column, e.g. {@code {"id":"42"}}. */
  public static String encodeRowKey(RowKey rowKey) {
    return JsonText.rowKey(rowKey);
  }

  /** Decodes a row key encoded by {@link #encodeRowKey(RowKey)}. */
  public static RowKey decodeRowKey(String json) {
    return JsonIn.read(
        json.getBytes(StandardCharsets.UTF_8),
        "row key",
        parser -> {
          parser.nextToken();
          return JsonIn.readRowKey(parser);
        });
  }
}
