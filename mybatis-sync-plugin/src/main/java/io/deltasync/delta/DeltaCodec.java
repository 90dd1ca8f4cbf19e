package io.deltasync.delta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

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

  /** The format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  // Jackson's default 20M-character string limit would refuse a BLOB of 15 MiB or more that this
  // codec had encoded; the input is already in memory, so no string can outgrow it anyway.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          .build();

  private DeltaCodec() {}

  /** Encodes one delta as UTF-8 JSON. */
  public static byte[] encode(Delta delta) {
    return write(generator -> writeDelta(generator, delta));
  }

  /** Decodes one delta; throws {@link DeltaFormatException} naming what is wrong. */
  public static Delta decode(byte[] json) {
    return read(json, "delta", DeltaCodec::readDelta);
  }

  /** Encodes a batch: {@code {"v":1,"sender":…,"batchId":…,"upToSeq":…,"deltas":[…]}}. */
  public static byte[] encodeBatch(DeltaBatch batch) {
    return write(
        generator -> {
          generator.writeStartObject();
          generator.writeNumberField("v", FORMAT_VERSION);
          generator.writeStringField("sender", batch.sender());
          generator.writeStringField("batchId", batch.batchId());
          generator.writeNumberField("upToSeq", batch.upToSeq());
          generator.writeArrayFieldStart("deltas");
          for (Delta delta : batch.deltas()) {
            writeDelta(generator, delta);
          }
          generator.writeEndArray();
          generator.writeEndObject();
        });
  }

  /** Decodes a batch; throws {@link DeltaFormatException} naming what is wrong. */
  public static DeltaBatch decodeBatch(byte[] json) {
    return read(
        json,
        "batch",
        parser -> {
          expect(parser, JsonToken.START_OBJECT, "a batch object");
          checkVersion(parser);
          String sender = stringField(parser, "sender");
          String batchId = stringField(parser, "batchId");
          long upToSeq = longField(parser, "upToSeq");
          field(parser, "deltas");
          expect(parser, JsonToken.START_ARRAY, "the deltas array");
          List<Delta> deltas = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            deltas.add(readDelta(parser));
          }
          expect(parser, JsonToken.END_OBJECT, "the end of the batch");
          return new DeltaBatch(sender, batchId, upToSeq, deltas);
        });
  }

  /** Encodes parameters alone, as the JSON array used inside a delta. */
  public static String encodeParams(List<Param> params) {
    return new String(write(generator -> writeParams(generator, params)), StandardCharsets.UTF_8);
  }

  /** Decodes parameters encoded by {@link #encodeParams(List)}. */
  public static List<Param> decodeParams(String json) {
    return read(
        json.getBytes(StandardCharsets.UTF_8),
        "parameter list",
        parser -> {
          parser.nextToken();
          return readParams(parser);
        });
  }

  /** Encodes a row key as a JSON object sorted by column, e.g. {@code {"id":"42"}}. */
  public static String encodeRowKey(RowKey rowKey) {
    return new String(write(generator -> writeRowKey(generator, rowKey)), StandardCharsets.UTF_8);
  }

  /** Decodes a row key encoded by {@link #encodeRowKey(RowKey)}. */
  public static RowKey decodeRowKey(String json) {
    return read(
        json.getBytes(StandardCharsets.UTF_8),
        "row key",
        parser -> {
          parser.nextToken();
          return readRowKey(parser);
        });
  }

  // ---- writing

  private interface Writer {
    void write(JsonGenerator generator) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      writer.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeDelta(JsonGenerator g, Delta delta) throws IOException {
    g.writeStartObject();
    g.writeNumberField("v", FORMAT_VERSION);
    g.writeStringField("id", delta.id());
    g.writeStringField("origin", delta.origin());
    g.writeNumberField("seq", delta.seq());
    g.writeStringField("txId", delta.txId());
    g.writeNumberField("capturedAt", delta.capturedAt());
    g.writeNumberField("basis", delta.basis());
    g.writeStringField("statementId", delta.statementId());
    g.writeStringField("kind", delta.kind().name());
    g.writeFieldName("table");
    if (delta.table() == null) {
      g.writeNull();
    } else {
      g.writeString(delta.table());
    }
    g.writeFieldName("rowKey");
    if (delta.rowKey() == null) {
      g.writeNull();
    } else {
      writeRowKey(g, delta.rowKey());
    }
    g.writeStringField("sql", delta.sql());
    g.writeFieldName("params");
    writeParams(g, delta.params());
    g.writeEndObject();
  }

  private static void writeRowKey(JsonGenerator g, RowKey rowKey) throws IOException {
    g.writeStartObject();
    for (var entry : rowKey.values().entrySet()) {
      g.writeStringField(entry.getKey(), entry.getValue());
    }
    g.writeEndObject();
  }

  private static void writeParams(JsonGenerator g, List<Param> params) throws IOException {
    g.writeStartArray();
    for (Param param : params) {
      g.writeStartArray();
      g.writeString(param.type().name());
      Object value = param.value();
      switch (param.type()) {
        case BOOLEAN -> g.writeBoolean((Boolean) value);
        case BYTE, SHORT, INT, LONG -> g.writeNumber(((Number) value).longValue());
        case BYTES -> g.writeString(Base64.getEncoder().encodeToString((byte[]) value));
        default -> g.writeString(value.toString());
      }
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  // ---- reading

  private interface Reader<T> {
    T read(JsonParser parser) throws IOException;
  }

  private static <T> T read(byte[] json, String what, Reader<T> reader) {
    if (json == null || json.length == 0) {
      throw new DeltaFormatException("expected a " + what + " as JSON, but the input was empty");
    }
    try (JsonParser parser = JSON.createParser(json)) {
      T value = reader.read(parser);
      JsonToken trailing;
      try {
        trailing = parser.nextToken();
      } catch (JsonProcessingException e) {
        throw new DeltaFormatException(
            "unexpected content after the " + what + ": " + e.getOriginalMessage(), e);
      }
      if (trailing != null) {
        throw new DeltaFormatException(
            "unexpected content after the " + what + " at " + at(parser));
      }
      return value;
    } catch (IOException e) {
      String detail =
          e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      throw new DeltaFormatException("malformed " + what + " JSON: " + detail, e);
    } catch (IllegalArgumentException e) {
      throw new DeltaFormatException("invalid " + what + ": " + e.getMessage(), e);
    }
  }

  private static Delta readDelta(JsonParser p) throws IOException {
    // A batch hands over its current element; a lone delta starts before its first token.
    JsonToken start = p.currentToken() == null ? p.nextToken() : p.currentToken();
    if (start != JsonToken.START_OBJECT) {
      throw new DeltaFormatException("expected a delta object but found " + start + " at " + at(p));
    }
    checkVersion(p);
    String id = stringField(p, "id");
    String origin = stringField(p, "origin");
    long seq = longField(p, "seq");
    String txId = stringField(p, "txId");
    long capturedAt = longField(p, "capturedAt");
    long basis = longField(p, "basis");
    String statementId = stringField(p, "statementId");
    String kindName = stringField(p, "kind");
    Kind kind;
    try {
      kind = Kind.valueOf(kindName);
    } catch (IllegalArgumentException e) {
      throw new DeltaFormatException(
          "kind must be INSERT, UPDATE or DELETE, but was '" + kindName + "'");
    }
    String table = nullableStringField(p, "table");
    field(p, "rowKey");
    RowKey rowKey = p.nextToken() == JsonToken.VALUE_NULL ? null : readRowKey(p);
    String sql = stringField(p, "sql");
    field(p, "params");
    p.nextToken();
    List<Param> params = readParams(p);
    expect(p, JsonToken.END_OBJECT, "the end of delta " + id);
    return new Delta(
        id, origin, seq, txId, capturedAt, basis, statementId, kind, table, rowKey, sql, params);
  }

  private static RowKey readRowKey(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new DeltaFormatException("rowKey must be an object or null at " + at(p));
    }
    TreeMap<String, String> values = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String column = p.currentName();
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        throw new DeltaFormatException("rowKey value of " + column + " must be a string");
      }
      values.put(column, p.getText());
    }
    return new RowKey(values);
  }

  private static List<Param> readParams(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new DeltaFormatException("params must be an array at " + at(p));
    }
    List<Param> params = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      int index = params.size() + 1;
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw new DeltaFormatException("parameter " + index + " must be a [type, value] array");
      }
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        throw new DeltaFormatException("parameter " + index + " must start with its type name");
      }
      ParamType type;
      try {
        type = ParamType.valueOf(p.getText());
      } catch (IllegalArgumentException e) {
        throw new DeltaFormatException(
            "parameter " + index + " has unknown type '" + p.getText() + "'");
      }
      p.nextToken();
      params.add(new Param(type, readValue(p, type, index)));
      if (p.nextToken() != JsonToken.END_ARRAY) {
        throw new DeltaFormatException("parameter " + index + " must have exactly two elements");
      }
    }
    return params;
  }

  private static Object readValue(JsonParser p, ParamType type, int index) throws IOException {
    JsonToken token = p.currentToken();
    try {
      return switch (type) {
        case BOOLEAN -> {
          if (!token.isBoolean()) {
            throw wrongValue(type, index, p);
          }
          yield p.getBooleanValue();
        }
        case BYTE, SHORT, INT, LONG -> {
          if (token != JsonToken.VALUE_NUMBER_INT) {
            throw wrongValue(type, index, p);
          }
          long value = p.getLongValue();
          yield switch (type) {
            case BYTE -> Math.toIntExact(value) == (byte) value ? (Object) (byte) value : fail();
            case SHORT -> Math.toIntExact(value) == (short) value ? (Object) (short) value : fail();
            case INT -> Math.toIntExact(value);
            default -> value;
          };
        }
        default -> {
          if (token != JsonToken.VALUE_STRING) {
            throw wrongValue(type, index, p);
          }
          yield parseText(type, p.getText());
        }
      };
    } catch (ArithmeticException | DateTimeParseException | IllegalArgumentException e) {
      throw new DeltaFormatException(
          "parameter " + index + " is not a valid " + type + ": '" + p.getText() + "'", e);
    }
  }

  private static Object fail() {
    throw new ArithmeticException("out of range");
  }

  private static Object parseText(ParamType type, String text) {
    return switch (type) {
      case NULL, STRING -> text;
      case FLOAT -> Float.parseFloat(text);
      case DOUBLE -> Double.parseDouble(text);
      case DECIMAL -> new BigDecimal(text);
      case DATE, LOCAL_DATE -> LocalDate.parse(text);
      case TIME, LOCAL_TIME -> LocalTime.parse(text);
      case TIMESTAMP, LOCAL_DATE_TIME -> LocalDateTime.parse(text);
      case OFFSET_DATE_TIME -> OffsetDateTime.parse(text);
      case UUID -> UUID.fromString(text);
      case BYTES -> Base64.getDecoder().decode(text);
      default -> throw new IllegalArgumentException("not a text type: " + type);
    };
  }

  private static DeltaFormatException wrongValue(ParamType type, int index, JsonParser p) {
    return new DeltaFormatException(
        "parameter " + index + " of type " + type + " has a wrong value: " + p.currentToken());
  }

  private static void checkVersion(JsonParser p) throws IOException {
    long version = longField(p, "v");
    if (version != FORMAT_VERSION) {
      throw new DeltaFormatException(
          "unsupported format version " + version + "; this node reads version " + FORMAT_VERSION);
    }
  }

  private static void field(JsonParser p, String name) throws IOException {
    if (p.nextToken() != JsonToken.FIELD_NAME || !name.equals(p.currentName())) {
      throw new DeltaFormatException(
          "expected field \""
              + name
              + "\" but found "
              + (p.currentToken() == JsonToken.FIELD_NAME
                  ? "\"" + p.currentName() + "\""
                  : String.valueOf(p.currentToken()))
              + " at "
              + at(p));
    }
  }

  private static String stringField(JsonParser p, String name) throws IOException {
    field(p, name);
    if (p.nextToken() != JsonToken.VALUE_STRING) {
      throw new DeltaFormatException("field \"" + name + "\" must be a string");
    }
    return p.getText();
  }

  private static String nullableStringField(JsonParser p, String name) throws IOException {
    field(p, name);
    JsonToken token = p.nextToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw new DeltaFormatException("field \"" + name + "\" must be a string or null");
    }
    return p.getText();
  }

  private static long longField(JsonParser p, String name) throws IOException {
    field(p, name);
    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new DeltaFormatException("field \"" + name + "\" must be an integer");
    }
    return p.getLongValue();
  }

  private static void expect(JsonParser p, JsonToken token, String what) throws IOException {
    if (p.nextToken() != token) {
      throw new DeltaFormatException(
          "expected " + what + " but found " + p.currentToken() + " at " + at(p));
    }
  }

  private static String at(JsonParser p) {
    var location = p.currentLocation();
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
