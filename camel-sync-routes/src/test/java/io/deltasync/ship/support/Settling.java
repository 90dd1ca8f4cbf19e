package io.deltasync.ship.support;

import io.deltasync.node.SyncNode;
import java.util.List;
import java.util.function.Supplier;

/** Pushing and pulling a hub's clients until nothing moves: the end of a convergence test. */
public final class Settling {

  /** A client that pushes to and pulls from its hub when told to. */
  public interface Client {
    String id();

    SyncNode syncNode();

    int push();

    int pull();
  }

  private Settling() {}

  /**
   * Pushes and pulls every client until each has pushed its last delta and processed the hub's last
   * one, and the hub has processed each client's last one.
   *
   * @param state the nodes' state, for the failure message
   * @throws AssertionError when that takes more than ten rounds
   */
  public static void settle(ShipNode hub, List<? extends Client> clients, Supplier<String> state) {
    for (int round = 0; round < 10; round++) {
      clients.forEach(Client::push);
      clients.forEach(Client::pull);
      if (pointersAtEnd(hub, clients)) {
        return;
      }
    }
    throw new AssertionError("still moving after 10 rounds of push and pull:" + state.get());
  }

  private static boolean pointersAtEnd(ShipNode hub, List<? extends Client> clients) {
    long hubLast = hub.store().lastSeq();
    for (Client client : clients) {
      long clientLast = client.syncNode().store().lastSeq();
      var toHub = client.syncNode().store().pointers("hub");
      if (toHub.lastPushed() != clientLast
          || toHub.lastProcessed() != hubLast
          || hub.pointers(client.id()).lastProcessed() != clientLast) {
        return false;
      }
    }
    return true;
  }
}
