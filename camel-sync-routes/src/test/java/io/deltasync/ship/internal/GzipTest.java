package io.deltasync.ship.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.ship.ShipException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Decompression gives back exactly what was compressed, whatever the trailer claims, and never more
 * than the bound.
 */
class GzipTest {

  @Test
  void givesBackWhatWasCompressedAtEverySize() {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 63, 64, 65, 8191, 8192, 8193, 100_000, 1_000_003}) {
      byte[] plain = new byte[size];
      for (int i = 0; i < size; i++) {
        plain[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt() : 'a');
      }
      assertThat(Gzip.decompress(Gzip.compress(plain), 2_000_000))
          .as("%d bytes", size)
          .isEqualTo(plain);
    }
  }

  @Test
  void splitGivesTheFirstLineAndEverythingAfterItAtEverySize() {
    Random random = new Random(11);
    for (int size : new int[] {0, 1, 63, 64, 65, 8191, 8192, 100_000, 1_000_003}) {
      byte[] rest = new byte[size];
      for (int i = 0; i < size; i++) {
        rest[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt() : '\n');
      }
      Gzip.Split split =
          Gzip.decompressSplit(
              Gzip.compress("{\"v\":1}".getBytes(), new byte[] {'\n'}, rest), 2_000_000, 4096);
      assertThat(split.line()).as("%d bytes", size).isEqualTo("{\"v\":1}".getBytes());
      assertThat(split.rest()).as("%d bytes", size).isEqualTo(rest);
    }
  }

  @Test
  void splitFindsNoLineBeyondItsLimitOrWithoutANewline() {
    byte[] long4096 = new byte[4096];
    Arrays.fill(long4096, (byte) 'h');
    byte[] long4095 = Arrays.copyOf(long4096, 4095);

    assertThat(Gzip.decompressSplit(Gzip.compress(long4096, new byte[] {'\n'}), 10_000, 4096))
        .isEqualTo(new Gzip.Split(null, null));
    assertThat(Gzip.decompressSplit(Gzip.compress("no newline".getBytes()), 10_000, 4096))
        .isEqualTo(new Gzip.Split(null, null));
    Gzip.Split split =
        Gzip.decompressSplit(Gzip.compress(long4095, new byte[] {'\n'}), 10_000, 4096);
    assertThat(split.line()).isEqualTo(long4095);
    assertThat(split.rest()).isEmpty();
  }

  @Test
  void splitCountsTheLineAgainstTheBound() {
    byte[] rest = new byte[1_000];
    Arrays.fill(rest, (byte) 'x');
    byte[] wire = Gzip.compress("head".getBytes(), new byte[] {'\n'}, rest);

    assertThat(Gzip.decompressSplit(wire, 1_005, 4096).rest()).isEqualTo(rest);
    assertThatThrownBy(() -> Gzip.decompressSplit(wire, 1_004, 4096))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("expands to more than the 1004 bytes");
  }

  @Test
  void partsCompressAsOne() {
    byte[] whole = Gzip.compress("head\npayload".getBytes());
    byte[] parts = Gzip.compress("head".getBytes(), new byte[] {'\n'}, "payload".getBytes());
    assertThat(Gzip.decompress(parts, 100)).isEqualTo(Gzip.decompress(whole, 100));
  }

  @Test
  void aTrailerThatUnderstatesOrOverstatesTheSizeChangesNothing() {
    byte[] plain = new byte[300_000];
    Arrays.fill(plain, (byte) 'x');
    for (int stated : new int[] {0, 1, 1000, Integer.MAX_VALUE, -1}) {
      byte[] wire = Gzip.compress(plain);
      int n = wire.length;
      wire[n - 4] = (byte) stated;
      wire[n - 3] = (byte) (stated >> 8);
      wire[n - 2] = (byte) (stated >> 16);
      wire[n - 1] = (byte) (stated >> 24);
      // java.util.zip checks the trailer only after the data: a wrong one is malformed, but only
      // once everything was read within the bound
      assertThatThrownBy(() -> Gzip.decompress(wire, 1_000_000))
          .isInstanceOf(ShipException.class)
          .hasMessageContaining("malformed envelope");
      assertThatThrownBy(() -> Gzip.decompress(wire, 200_000))
          .isInstanceOf(ShipException.class)
          .hasMessageContaining("expands to more than the 200000 bytes");
    }
  }

  @Test
  void aBombStopsAtTheBound() {
    byte[] bomb = bestCompressed(new byte[5_000_000]); // as a sender making a bomb would
    assertThat(bomb.length).isLessThan(10_000);
    assertThatThrownBy(() -> Gzip.decompress(bomb, 1_000_000))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("expands to more than the 1000000 bytes this node accepts");
    assertThat(Gzip.decompress(bomb, 5_000_000)).hasSize(5_000_000);
  }

  private static byte[] bestCompressed(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip =
        new GZIPOutputStream(out) {
          {
            def.setLevel(Deflater.BEST_COMPRESSION);
          }
        }) {
      gzip.write(data);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
