package io.deltasync.cluster;

import io.deltasync.apply.ApplyResult;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.node.SyncNode;
import io.deltasync.node.SyncPeer;
import io.deltasync.testing.TestNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the shipping and applying routes of a hub member will do, in-process: while this member
 * leads its node, pull every client's deltas into the hub and push the hub's to every client. Like
 * a route policy stopping a route between exchanges, leadership is checked before every batch, so a
 * member that stops leading sends or fetches no further batch.
 */
final class HubLoop implements Runnable {

  private final DeltaSyncCluster member;
  private final SyncNode hub;
  private final List<SyncPeer> clients;
  private final AtomicInteger rounds = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger batches = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile RuntimeException lastFailure;

  HubLoop(String name, DeltaSyncCluster member, SyncNode hub, List<TestNode> clients) {
    this.member = member;
    this.hub = hub;
    this.clients = clients.stream().map(client -> gated(client.node())).toList();
    this.thread = new Thread(this, name);
  }

  HubLoop start() {
    thread.start();
    return this;
  }

  @Override
  public void run() {
    while (running) {
      if (!member.leadership().isLeader()) {
        pause();
        continue;
      }
      try {
        for (SyncPeer client : clients) {
          hub.pull(client);
          hub.push(client);
        }
        rounds.incrementAndGet();
      } catch (NotLeading e) {
        pause();
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        lastFailure = e;
        pause();
      }
    }
  }

  void stop() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }

  /** Batches fetched from or sent to clients while leading. */
  int batches() {
    return batches.get();
  }

  /** Complete rounds over all clients while leading. */
  int rounds() {
    return rounds.get();
  }

  int failures() {
    return failures.get();
  }

  RuntimeException lastFailure() {
    return lastFailure;
  }

  private SyncPeer gated(SyncPeer client) {
    return new SyncPeer() {
      @Override
      public String nodeId() {
        return client.nodeId();
      }

      @Override
      public DeltaBatch fetch(String requester, long afterSeq, int limit) {
        checkLeading();
        return client.fetch(requester, afterSeq, limit);
      }

      @Override
      public ApplyResult receive(DeltaBatch batch) {
        checkLeading();
        return client.receive(batch);
      }
    };
  }

  private void checkLeading() {
    if (!member.leadership().isLeader()) {
      throw new NotLeading();
    }
    batches.incrementAndGet();
  }

  /** Leadership was lost in the middle of a round. */
  private static final class NotLeading extends RuntimeException {
    NotLeading() {
      super("this member no longer leads", null, false, false);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
