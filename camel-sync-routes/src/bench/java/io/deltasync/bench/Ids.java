package io.deltasync.bench;

import java.util.concurrent.atomic.AtomicLong;

/** Hands out disjoint blocks of note ids, one per run, so that no run sees another's rows. */
final class Ids {

  /** Ids per block: more than any run writes. */
  static final long BLOCK = 10_000_000L;

  private static final AtomicLong NEXT = new AtomicLong();

  private Ids() {}

  /** The first id of a fresh block. */
  static long block() {
    return NEXT.addAndGet(BLOCK);
  }
}
