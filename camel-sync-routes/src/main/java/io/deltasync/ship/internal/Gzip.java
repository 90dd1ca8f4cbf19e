package io.deltasync.ship.internal;

import io.deltasync.ship.ShipException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/** Gzip with a bound on what decompression may produce. */
public final class Gzip {

  private Gzip() {}

  /** The parts, one after the other, as one gzip stream. */
  public static byte[] compress(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
      for (byte[] part : parts) {
        gzip.write(part);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not compress", e);
    }
    return out.toByteArray();
  }

  /**
   * Decompresses, refusing to produce more than {@code maxBytes}.
   *
   * @throws ShipException MALFORMED for data that is not gzip or is cut short, TOO_LARGE beyond the
   *     bound
   */
  public static byte[] decompress(byte[] gzip, long maxBytes) {
    byte[] out = new byte[initialSize(gzip, maxBytes)];
    int total = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 8192)) {
      while (true) {
        if (total == out.length) {
          int next = in.read();
          if (next < 0) {
            break;
          }
          if (total + 1L > maxBytes) {
            throw tooLarge(maxBytes);
          }
          out = Arrays.copyOf(out, (int) Math.min(Math.max(2L * out.length, 8192), cap(maxBytes)));
          out[total++] = (byte) next;
          continue;
        }
        int read = in.read(out, total, out.length - total);
        if (read < 0) {
          break;
        }
        total += read;
      }
      if (total > maxBytes) {
        throw tooLarge(maxBytes);
      }
    } catch (EOFException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED, "malformed envelope: the gzip data is truncated", e);
    } catch (ZipException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED,
          "malformed envelope: not gzip data (" + e.getMessage() + ")",
          e);
    } catch (IOException e) {
      throw new ShipException(
          ShipException.Reason.MALFORMED, "malformed envelope: " + e.getMessage(), e);
    }
    return total == out.length ? out : Arrays.copyOf(out, total);
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
