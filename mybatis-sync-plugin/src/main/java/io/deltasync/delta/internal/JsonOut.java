package io.deltasync.delta.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.Param;
import io.deltasync.delta.RowKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/** Writes deltas as the JSON of {@link io.deltasync.delta.DeltaCodec}. Stateless. */
public final class JsonOut {

  // Shared with JsonIn. Jackson's default 20M-character string limit would refuse a BLOB of 15 MiB
  // or more that this codec had encoded; the input is already in memory, so no string can outgrow
  // it anyway.
  static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          .build();

  private JsonOut() {}

  /** Writes one document to a generator. */
  public interface Writer {
    void write(JsonGenerator generator) throws IOException;
  }

  /** Runs the writer and returns the UTF-8 bytes it wrote. */
  public static byte[] write(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      writer.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static void writeDelta(JsonGenerator g, Delta delta) throws IOException {
    g.writeStartObject();
    g.writeNumberField("v", DeltaCodec.FORMAT_VERSION);
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

  public static void writeRowKey(JsonGenerator g, RowKey rowKey) throws IOException {
    g.writeStartObject();
    for (var entry : rowKey.values().entrySet()) {
      g.writeStringField(entry.getKey(), entry.getValue());
    }
    g.writeEndObject();
  }

  public static void writeParams(JsonGenerator g, List<Param> params) throws IOException {
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
}
