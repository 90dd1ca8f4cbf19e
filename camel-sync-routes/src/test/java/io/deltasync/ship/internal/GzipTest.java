package io.deltasync.ship.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.ship.ShipException;
import java.util.Arrays;
import java.util.Random;
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
    byte[] bomb = Gzip.compress(new byte[5_000_000]);
    assertThat(bomb.length).isLessThan(10_000);
    assertThatThrownBy(() -> Gzip.decompress(bomb, 1_000_000))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("expands to more than the 1000000 bytes this node accepts");
    assertThat(Gzip.decompress(bomb, 5_000_000)).hasSize(5_000_000);
  }
}
