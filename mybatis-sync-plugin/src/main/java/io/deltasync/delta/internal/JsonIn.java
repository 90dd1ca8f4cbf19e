package io.deltasync.delta.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaFormatException;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Reads the JSON of {@link io.deltasync.delta.DeltaCodec}, naming what is wrong. Stateless. */
public final class JsonIn {

  private JsonIn() {}

  /** Reads one value from a parser. */
  public interface Reader<T> {
    T read(JsonParser parser) throws IOException;
  }

  /**
   * Reads a whole document with the reader, turning every failure into a {@link
   * io.deltasync.delta.DeltaFormatException} that names {@code what} and what was wrong.
   */
  public static <T> T read(byte[] json, String what, Reader<T> reader) {
    if (json == null || json.length == 0) {
      throw new DeltaFormatException("expected a " + what + " as JSON, but the input was empty");
    }
    try (JsonParser parser = JsonOut.JSON.createParser(json)) {
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

  public static Delta readDelta(JsonParser p) throws IOException {
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

  public static RowKey readRowKey(JsonParser p) throws IOException {
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

  public static List<Param> readParams(JsonParser p) throws IOException {
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
          yield ParamText.parse(type, p.getText());
        }
      };
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw new DeltaFormatException(
          "parameter " + index + " is not a valid " + type + ": '" + p.getText() + "'", e);
    }
  }

  private static Object fail() {
    throw new ArithmeticException("out of range");
  }

  private static DeltaFormatException wrongValue(ParamType type, int index, JsonParser p) {
    return new DeltaFormatException(
        "parameter " + index + " of type " + type + " has a wrong value: " + p.currentToken());
  }

  public static void checkVersion(JsonParser p) throws IOException {
    checkVersion(p, DeltaCodec.FORMAT_VERSION);
  }

  /** Reads {@code "v"}, which must be between {@link DeltaCodec#FORMAT_VERSION} and {@code max}. */
  public static long checkVersion(JsonParser p, int max) throws IOException {
    long version = longField(p, "v");
    if (version < DeltaCodec.FORMAT_VERSION || version > max) {
      throw new DeltaFormatException(
          "unsupported format version "
              + version
              + "; this node reads version "
              + (max == DeltaCodec.FORMAT_VERSION
                  ? String.valueOf(max)
                  : DeltaCodec.FORMAT_VERSION + " to " + max));
    }
    return version;
  }

  public static void field(JsonParser p, String name) throws IOException {
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

  public static String stringField(JsonParser p, String name) throws IOException {
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

  public static long longField(JsonParser p, String name) throws IOException {
    field(p, name);
    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new DeltaFormatException("field \"" + name + "\" must be an integer");
    }
    return p.getLongValue();
  }

  public static void expect(JsonParser p, JsonToken token, String what) throws IOException {
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
