package io.deltasync.e2e.app;

import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The witnesses' web API: each operation updates a row relatively and appends its log row in one
 * transaction, so the log says exactly which operations committed. Answers 1 once committed.
 */
@RestController
public class WitnessController {

  private final WitnessMapper witness;

  public WitnessController(WitnessMapper witness) {
    this.witness = witness;
  }

  @PostMapping("/shop/counters/{node}")
  public int addCounter(@PathVariable String node) {
    return witness.addCounter(node);
  }

  /** {@code n = n + 1} on the node's counter, logged as operation {@code op}. */
  @PostMapping("/shop/counters/{node}/increment")
  @Transactional
  public int increment(
      @PathVariable String node, @RequestParam String op, @RequestParam long opNo) {
    if (witness.increment(node) != 1) {
      throw new IllegalStateException("no counter for " + node);
    }
    return witness.log(op, node, opNo, "inc", node);
  }

  /** {@code qty = qty - 1} on a shared item, logged as operation {@code op} of the node. */
  @PostMapping("/shop/items/{id}/take-one")
  @Transactional
  public int takeOne(
      @PathVariable long id,
      @RequestParam String node,
      @RequestParam String op,
      @RequestParam long opNo) {
    if (witness.takeOne(id) != 1) {
      throw new IllegalStateException("no item " + id);
    }
    return witness.log(op, node, opNo, "take", String.valueOf(id));
  }
}
