package io.deltasync.ship.internal;

import io.deltasync.ship.ShipException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/** Gzip with a bound on what decompression may produce. */
public final class Gzip {

  private Gzip() {}

  public static byte[] compress(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.length / 4));
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
      gzip.write(plain);
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
    ByteArrayOutputStream out = new ByteArrayOutputStream(gzip.length * 4);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 8192)) {
      byte[] buffer = new byte[8192];
      long total = 0;
      int read;
      while ((read = in.read(buffer)) > 0) {
        total += read;
        if (total > maxBytes) {
          throw new ShipException(
              ShipException.Reason.TOO_LARGE,
              "envelope expands to more than the "
                  + maxBytes
                  + " bytes this node accepts (deltasync.ship.max-batch-bytes)");
        }
        out.write(buffer, 0, read);
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
    return out.toByteArray();
  }
}
