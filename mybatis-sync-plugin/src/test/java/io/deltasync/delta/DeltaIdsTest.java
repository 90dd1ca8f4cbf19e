package io.deltasync.delta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeltaIdsTest {

  @Test
  void idsAreCanonicalLowerCaseUuidText() {
    String id = DeltaIds.next();

    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(UUID.fromString(id)).hasToString(id);
  }

  @Test
  void idsAreUuidVersion7WithTheRfc4122Variant() {
    for (int i = 0; i < 1_000; i++) {
      UUID uuid = UUID.fromString(DeltaIds.next());

      assertThat(uuid.version()).isEqualTo(7);
      assertThat(uuid.variant()).isEqualTo(2);
    }
  }

  @Test
  void idsCarryTheirCreationMillisecond() {
    long before = System.currentTimeMillis();
    UUID uuid = UUID.fromString(DeltaIds.next());
    long after = System.currentTimeMillis();

    assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(before, after);
  }

  @Test
  void idsAreUniqueOverAHundredThousand() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(DeltaIds.next());
    }

    assertThat(ids).hasSize(100_000);
  }

  @Test
  void idsSortByCreationTimeAcrossMilliseconds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(DeltaIds.next());
      waitForTheNextMillisecond();
    }

    assertThat(ids).isSorted().doesNotHaveDuplicates();
  }

  private static void waitForTheNextMillisecond() {
    long start = System.currentTimeMillis();
    while (System.currentTimeMillis() == start) {
      Thread.onSpinWait();
    }
  }
}
