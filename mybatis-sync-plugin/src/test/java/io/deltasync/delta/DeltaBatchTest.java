package io.deltasync.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeltaBatchTest {

  @Test
  void refusesUpToSeqBelowItsLastDelta() {
    List<Delta> deltas = List.of(SampleDeltas.delta(5));

    assertThatThrownBy(() -> new DeltaBatch("node-a", "b-0", 4, deltas))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("upToSeq must be >= afterSeq and the last delta's seq 5, but was 4");
  }

  @Test
  void rejectsDeltasOutOfSeqOrder() {
    List<Delta> deltas = List.of(SampleDeltas.delta(5), SampleDeltas.delta(3));

    assertThatThrownBy(() -> new DeltaBatch("node-a", "b-1", deltas))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "deltas must be in strictly increasing seq order, but seq 3 came after 5 in batch b-1");
  }

  @Test
  void rejectsRepeatedSeq() {
    List<Delta> deltas = List.of(SampleDeltas.delta(4), SampleDeltas.delta(4));

    assertThatThrownBy(() -> new DeltaBatch("node-a", "b-2", deltas))
        .hasMessageContaining("but seq 4 came after 4");
  }

  @Test
  void rejectsDeltasTheSenderHasNotNumbered() {
    assertThatThrownBy(() -> new DeltaBatch("node-a", "b-3", List.of(SampleDeltas.delta(0))))
        .hasMessageContaining("but seq 0 came after 0");
  }

  @Test
  void acceptsGapsInTheSeq() {
    DeltaBatch batch =
        new DeltaBatch(
            "node-a", "b-4", List.of(SampleDeltas.delta(2), SampleDeltas.unparsedDelta(10)));

    assertThat(batch.lastSeq()).isEqualTo(10);
  }

  @Test
  void rejectsSenderThatIsNotANodeId() {
    assertThatThrownBy(() -> new DeltaBatch("Node_A", "b-5", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sender must match [a-z0-9-]{1,64}, but was 'Node_A'");
  }

  @Test
  void requiresBatchIdAndDeltas() {
    assertThatThrownBy(() -> new DeltaBatch("node-a", null, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchId must be 1 to 36 visible ASCII characters (no space), but was null");
    assertThatThrownBy(() -> new DeltaBatch("node-a", "b-1\r\nforged", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "batchId must be 1 to 36 visible ASCII characters (no space), but was"
                + " 'b-1\\r\\nforged'");
    assertThatThrownBy(() -> new DeltaBatch("node-a", "b-6", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("deltas");
  }

  @Test
  void lastSeqOfAnEmptyBatchIsZero() {
    assertThat(new DeltaBatch("node-a", "b-7", List.of()).lastSeq()).isZero();
  }

  @Test
  void copiesItsDeltaList() {
    List<Delta> deltas = new ArrayList<>(List.of(SampleDeltas.delta(1)));
    DeltaBatch batch = new DeltaBatch("node-a", "b-8", deltas);

    deltas.add(SampleDeltas.delta(2));

    assertThat(batch.deltas()).hasSize(1);
    assertThatThrownBy(() -> batch.deltas().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
