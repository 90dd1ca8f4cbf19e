package io.deltasync.delta;

import java.security.SecureRandom;
import java.util.UUID;

/** Makes delta ids: UUIDv7 (RFC 9562), unique and sortable by creation millisecond. */
public final class DeltaIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private DeltaIds() {}

  /** A new id, e.g. {@code 019a8f3c-6b2e-7c41-9d3a-0f6e2b7a1c55}. Thread-safe. */
  public static String next() {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    long millis = System.currentTimeMillis();
    long high = (millis << 16) | 0x7000L | ((random[0] & 0x0fL) << 8) | (random[1] & 0xffL);
    long low = 0x8000000000000000L | ((random[2] & 0x3fL) << 56);
    for (int i = 3; i < 10; i++) {
      low |= (random[i] & 0xffL) << (8 * (9 - i));
    }
    return new UUID(high, low).toString();
  }
}
