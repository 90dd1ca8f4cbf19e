package io.deltasync.ship.internal;

import io.deltasync.ship.ShipException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/** Gzip at its fastest level, with a bound on what decompression may produce. */
public final class Gzip {

  private Gzip() {}

  /**
   * Gzip at deflate's fastest level: over twice the speed of the default level for a fifth more
   * bytes (JSON rows: 25 % of their size against 21 %), which on the hub that encodes every load
   * chunk and every pulled batch is CPU given back to its database.
   */
  private static final class Fastest extends GZIPOutputStream {
    Fastest(ByteArrayOutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  /** The parts, one after the other, as one gzip stream. */
  public static byte[] compress(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
    try (GZIPOutputStream gzip = new Fastest(out)) {
      for (byte[] part : parts) {
        gzip.write(part);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not compress", e);
    }
    return out.toByteArray();
  }

  /** A gzip stream's data split after its first newline: the line before it, and the rest. */
  public record Split(byte[] line, byte[] rest) {}

  /**
   * Decompresses, refusing to produce more than {@code maxBytes}.
   *
   * @throws ShipException MALFORMED for data that is not gzip or is cut short, TOO_LARGE beyond the
   *     bound
   */
  public static byte[] decompress(byte[] gzip, long maxBytes) {
    try (InputStream in = open(gzip)) {
      return readRest(in, initialSize(gzip, maxBytes), 0, maxBytes);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /**
   * Decompresses as {@link #decompress} does, into the first line and the rest, each an array of
   * its own: the rest, an envelope's payload of megabytes, is not copied out of the whole. The line
   * is null, and the rest too, when no newline comes within the first {@code maxLine} bytes.
   */
  public static Split decompressSplit(byte[] gzip, long maxBytes, int maxLine) {
    try (InputStream in = open(gzip)) {
      byte[] line = new byte[Math.min(maxLine, 512)];
      int length = 0;
      while (true) {
        int next = in.read();
        if (next < 0 || length >= maxLine) {
          return new Split(null, null);
        }
        if (next == '\n') {
          break;
        }
        if (length == line.length) {
          line = Arrays.copyOf(line, Math.min(maxLine, 2 * line.length));
        }
        line[length++] = (byte) next;
      }
      long read = length + 1L;
      if (read > maxBytes) {
        throw tooLarge(maxBytes);
      }
      int size = (int) Math.max(64, initialSize(gzip, maxBytes) - read);
      return new Split(Arrays.copyOf(line, length), readRest(in, size, read, maxBytes));
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  private static InputStream open(byte[] gzip) throws IOException {
    return new GZIPInputStream(new ByteArrayInputStream(gzip), 8192);
  }

  /**
   * Reads the stream to its end into an array first {@code size} long, grown as needed; {@code
   * already} bytes were read before, and counted against {@code maxBytes}.
   */
  private static byte[] readRest(InputStream in, int size, long already, long maxBytes)
      throws IOException {
    byte[] out = new byte[size];
    int total = 0;
    long room = cap(maxBytes) - already;
    while (true) {
      if (total == out.length) {
        int next = in.read();
        if (next < 0) {
          break;
        }
        if (already + total + 1L > maxBytes) {
          throw tooLarge(maxBytes);
        }
        out = Arrays.copyOf(out, (int) Math.min(Math.max(2L * out.length, 8192), room));
        out[total++] = (byte) next;
        continue;
      }
      int read = in.read(out, total, out.length - total);
      if (read < 0) {
        break;
      }
      total += read;
    }
    if (already + total > maxBytes) {
      throw tooLarge(maxBytes);
    }
    return total == out.length ? out : Arrays.copyOf(out, total);
  }

  private static ShipException malformed(IOException e) {
    if (e instanceof EOFException) {
      return new ShipException(
          ShipException.Reason.MALFORMED, "malformed envelope: the gzip data is truncated", e);
    }
    if (e instanceof ZipException) {
      return new ShipException(
          ShipException.Reason.MALFORMED,
          "malformed envelope: not gzip data (" + e.getMessage() + ")",
          e);
    }
    return new ShipException(
        ShipException.Reason.MALFORMED, "malformed envelope: " + e.getMessage(), e);
  }

  /**
   * The size gzip's trailer states (the last four bytes: the data's length modulo 2^32), so that
   * the data is written once into an array of its size. Never trusted beyond what the bytes could
   * hold: deflate expands at most about 1,032 times, and never past {@code maxBytes}; a trailer
   * that says less only costs a copy.
   */
  private static int initialSize(byte[] gzip, long maxBytes) {
    if (gzip.length < 18) {
      return 64;
    }
    int n = gzip.length;
    long stated =
        (gzip[n - 4] & 0xffL)
            | (gzip[n - 3] & 0xffL) << 8
            | (gzip[n - 2] & 0xffL) << 16
            | (gzip[n - 1] & 0xffL) << 24;
    return (int) Math.max(64, Math.min(Math.min(stated, 1_032L * n), cap(maxBytes)));
  }

  private static long cap(long maxBytes) {
    return Math.min(maxBytes, Integer.MAX_VALUE - 8);
  }

  private static ShipException tooLarge(long maxBytes) {
    return new ShipException(
        ShipException.Reason.TOO_LARGE,
        "envelope expands to more than the "
            + maxBytes
            + " bytes this node accepts (deltasync.ship.max-batch-bytes)");
  }
}
