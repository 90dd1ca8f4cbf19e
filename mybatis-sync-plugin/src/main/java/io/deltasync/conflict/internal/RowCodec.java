package io.deltasync.conflict.internal;

import com.fasterxml.jackson.core.JsonParser;
import io.deltasync.conflict.Row;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaFormatException;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.internal.JsonIn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Row} as stored in {@code ds_conflict}: the delta codec's typed parameter list, column
 * name and value alternating, so values keep their types exactly as deltas do.
 */
public final class RowCodec {

  private RowCodec() {}

  /** The row as JSON; null for null. */
  public static String encode(Row row) {
    if (row == null) {
      return null;
    }
    List<Param> pairs = new ArrayList<>();
    row.values()
        .forEach(
            (column, value) -> {
              pairs.add(new Param(ParamType.STRING, column));
              pairs.add(value);
            });
    return DeltaCodec.encodeParams(pairs);
  }

  /** The row from {@link #encode}; null for null. */
  public static Row decode(String json) {
    if (json == null) {
      return null;
    }
    return row(DeltaCodec.decodeParams(json));
  }

  /**
   * The row from {@link #encode} that a parser stands on (its opening bracket), read to its closing
   * bracket: rows in a larger document are read in the document's one pass.
   *
   * @throws DeltaFormatException when it is not such a row
   */
  public static Row read(JsonParser parser) throws IOException {
    return row(JsonIn.readParams(parser));
  }

  private static Row row(List<Param> pairs) {
    if (pairs.size() % 2 != 0) {
      throw new IllegalArgumentException(
          "a stored row needs column-value pairs, but had an odd count");
    }
    Map<String, Param> values = new LinkedHashMap<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      values.put((String) pairs.get(i).value(), pairs.get(i + 1));
    }
    return new Row(values);
  }
}
