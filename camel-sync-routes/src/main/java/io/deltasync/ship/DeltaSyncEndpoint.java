package io.deltasync.ship;

import io.deltasync.delta.Delta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * One {@code deltasync:} endpoint. {@code outbox} and {@code pull} are polling consumers ({@code
 * delay}, default 500 ms, is the longest wait between polls that find nothing, cut short when this
 * node commits deltas; {@code initialDelay} applies: by default 1 s for {@code outbox}, none for
 * {@code pull}, so that a node that starts pulls, or loads, at once); {@code inbox}, {@code feed},
 * {@code verify} and {@code load} are producers. {@code load?peer=<hub>} is also a polling
 * consumer: a client's load route (see {@link LoadConsumer}), without an initial delay either.
 */
@UriEndpoint(
    firstVersion = "0.1.0",
    scheme = "deltasync",
    title = "DeltaSync",
    syntax = "deltasync:kind",
    category = {Category.DATABASE})
public class DeltaSyncEndpoint extends ScheduledPollEndpoint {

  /** How long {@code feed} holds a pull at most unless told otherwise, in milliseconds. */
  public static final long DEFAULT_MAX_WAIT = 20_000;

  /** The default of {@code tableReloadsEvery}, in milliseconds. */
  static final long DEFAULT_TABLE_RELOADS_EVERY = 10_000;

  /** The default of {@code emptyBatchHold}, in milliseconds. */
  public static final long DEFAULT_EMPTY_BATCH_HOLD = 250;

  /** The endpoint kinds. */
  public enum Kind {
    OUTBOX,
    PULL,
    INBOX,
    FEED,
    /** Producer: answers verify requests (see {@link VerifyProducer}). */
    VERIFY,
    /**
     * Producer: answers initial-load requests (see {@link LoadProducer}); with a peer, a consumer:
     * a client's load route (see {@link LoadConsumer}).
     */
    LOAD;

    static Kind parse(String text) {
      for (Kind kind : values()) {
        if (kind.name().equalsIgnoreCase(text)) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "deltasync: endpoint must be outbox, pull, inbox, feed, verify or load, but was '"
              + text
              + "'");
    }
  }

  @UriPath(enums = "outbox,pull,inbox,feed,verify,load")
  @Metadata(required = true)
  private final Kind kind;

  @UriParam private String peer;

  @UriParam(label = "consumer", defaultValue = "0")
  private int batchSize;

  @UriParam(label = "consumer", defaultValue = "100")
  private int maxBatchesPerPoll = 100;

  @UriParam(label = "consumer", defaultValue = "60000")
  private long maxBackoff = 60_000;

  @UriParam(label = "consumer", defaultValue = "0")
  private long wait;

  @UriParam(label = "consumer", defaultValue = "250")
  private long emptyBatchHold = DEFAULT_EMPTY_BATCH_HOLD;

  @UriParam(label = "consumer", defaultValue = "10000")
  private long tableReloadsEvery = DEFAULT_TABLE_RELOADS_EVERY;

  @UriParam(label = "producer", defaultValue = "20000")
  private long maxWait = DEFAULT_MAX_WAIT;

  @UriParam(label = "producer", enums = "fail,rewind", defaultValue = "fail")
  private String outOfOrder = "fail";

  @UriParam(label = "producer", defaultValue = "3")
  private int rewindAfter = 3;

  DeltaSyncEndpoint(String uri, DeltaSyncComponent component, Kind kind) {
    super(uri, component);
    this.kind = kind;
  }

  @Override
  public DeltaSyncComponent getComponent() {
    return (DeltaSyncComponent) super.getComponent();
  }

  /** outbox, pull, inbox, feed, verify or load. */
  public Kind getKind() {
    return kind;
  }

  /**
   * Whom the outbox sends to, or whom pull asks: a node id, a comma-separated list, or {@code *}
   * for every peer with a secret. Required by both; each peer's stream is independent.
   */
  public String getPeer() {
    return peer;
  }

  public void setPeer(String peer) {
    this.peer = peer;
  }

  /** Most deltas in one batch (outbox) or asked for at once (pull); 0 means the node's own. */
  public int getBatchSize() {
    return batchSize > 0 ? batchSize : getComponent().node().batchSize();
  }

  public void setBatchSize(int batchSize) {
    if (batchSize < 0) {
      throw new IllegalArgumentException("batchSize must be >= 0, but was " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** Most batches sent or pulled in one poll before yielding to the next one. */
  public int getMaxBatchesPerPoll() {
    return maxBatchesPerPoll;
  }

  public void setMaxBatchesPerPoll(int maxBatchesPerPoll) {
    if (maxBatchesPerPoll <= 0) {
      throw new IllegalArgumentException(
          "maxBatchesPerPoll must be > 0, but was " + maxBatchesPerPoll);
    }
    this.maxBatchesPerPoll = maxBatchesPerPoll;
  }

  /**
   * {@code outbox}: how long, in milliseconds, a batch that holds no delta for the peer waits
   * before it is sent. Such a batch only moves the peer's pointer past deltas it must not get (its
   * own, back from a third node). While deltas keep coming it rides with the next real batch
   * instead: sent at once, it would double the batches a busy peer receives, applies and
   * acknowledges (each its own transaction, and over JMS its own persistent message). Once traffic
   * stops, the pointer reaches the end this long after. 0 sends it at once.
   */
  public long getEmptyBatchHold() {
    return emptyBatchHold;
  }

  public void setEmptyBatchHold(long emptyBatchHold) {
    if (emptyBatchHold < 0) {
      throw new IllegalArgumentException("emptyBatchHold must be >= 0, but was " + emptyBatchHold);
    }
    this.emptyBatchHold = emptyBatchHold;
  }

  /**
   * Longest wait, in milliseconds, between attempts after failures: after each failed batch the
   * consumer waits twice as long as before (starting at {@code delay}), up to this.
   */
  public long getMaxBackoff() {
    return maxBackoff;
  }

  public void setMaxBackoff(long maxBackoff) {
    if (maxBackoff <= 0) {
      throw new IllegalArgumentException("maxBackoff must be > 0, but was " + maxBackoff);
    }
    this.maxBackoff = maxBackoff;
  }

  /**
   * {@code load}: how often, in milliseconds, the route asks the hub which tables it should reload
   * (a hub's {@code HubReloads.requestTable}), reporting how those it asked before ended; 0 never
   * asks. Over HTTP the answers to the pulls tell it instead.
   */
  public long getTableReloadsEvery() {
    return tableReloadsEvery;
  }

  public void setTableReloadsEvery(long tableReloadsEvery) {
    if (tableReloadsEvery < 0) {
      throw new IllegalArgumentException(
          "tableReloadsEvery must be >= 0, but was " + tableReloadsEvery);
    }
    this.tableReloadsEvery = tableReloadsEvery;
  }

  /**
   * {@code pull}: how long, in milliseconds, the peer may hold each request while it has nothing
   * new for this node (a long poll: what it commits meanwhile is answered at once); 0 asks for an
   * answer at once. The transport's response timeout must be longer. The peer caps it (see {@link
   * #getMaxWait()}).
   */
  public long getWait() {
    return wait;
  }

  public void setWait(long wait) {
    if (wait < 0) {
      throw new IllegalArgumentException("wait must be >= 0, but was " + wait);
    }
    this.wait = wait;
  }

  /**
   * {@code feed}: the longest, in milliseconds, that a pull finding nothing new is held, waiting
   * for deltas for its sender, before it is answered empty; 0 answers every pull at once. While
   * held, a request occupies one of the web server's request threads (see {@code
   * deltasync.ship.max-held-pulls}).
   */
  public long getMaxWait() {
    return maxWait;
  }

  public void setMaxWait(long maxWait) {
    if (maxWait < 0) {
      throw new IllegalArgumentException("maxWait must be >= 0, but was " + maxWait);
    }
    this.maxWait = maxWait;
  }

  /**
   * What {@code inbox} does with a batch that continues from a seq this node has not processed:
   * {@code fail} (the exchange fails with {@code OutOfOrderBatchException}; the HTTP inbox answers
   * 409 with where to resume), or {@code rewind} (for queues and folders: the batch is dropped and
   * the message becomes a signed rewind envelope for its sender, with header {@code
   * DeltaSyncRecipient} and exchange property {@code DeltaSyncRewind} set, for the route to send
   * over its own transport; see {@link #getRewindAfter()}).
   */
  public String getOutOfOrder() {
    return outOfOrder;
  }

  public void setOutOfOrder(String outOfOrder) {
    if (!"fail".equals(outOfOrder) && !"rewind".equals(outOfOrder)) {
      throw new IllegalArgumentException(
          "outOfOrder must be fail or rewind, but was '" + outOfOrder + "'");
    }
    this.outOfOrder = outOfOrder;
  }

  /**
   * With {@code outOfOrder=rewind}: how many times the route retries an out-of-order batch in place
   * (its error handler's redeliveries) before the inbox drops it and rewinds its sender, so that a
   * batch whose predecessor is still being applied (another process on the same queue, files copied
   * out of order) is not dropped at once. 0 rewinds at the first refusal.
   */
  public int getRewindAfter() {
    return rewindAfter;
  }

  public void setRewindAfter(int rewindAfter) {
    if (rewindAfter < 0) {
      throw new IllegalArgumentException("rewindAfter must be >= 0, but was " + rewindAfter);
    }
    this.rewindAfter = rewindAfter;
  }

  /** Whether the inbox turns an out-of-order batch into a rewind for its sender. */
  boolean rewindsOutOfOrder() {
    return "rewind".equals(outOfOrder);
  }

  /** The peers this consumer serves, resolved from {@link #getPeer()}. */
  List<String> peers() {
    if ("*".equals(peer)) {
      List<String> all = new ArrayList<>(getComponent().secrets().peers());
      all.remove(getComponent().node().nodeId());
      return all;
    }
    return Arrays.stream(peer.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
  }

  void check() {
    // deltasync:load with a peer is a client's load route (from:), without one the hub's answer
    boolean needsPeer =
        kind == Kind.OUTBOX || kind == Kind.PULL || (kind == Kind.LOAD && peer != null);
    String name = kind.name().toLowerCase(Locale.ROOT);
    if (needsPeer && peer == null) {
      throw new IllegalArgumentException("deltasync:" + name + " needs ?peer=<node id>");
    }
    if (!needsPeer && peer != null) {
      throw new IllegalArgumentException(
          "deltasync:" + name + " takes no peer: the sender is read from the signed envelope");
    }
    if (kind != Kind.INBOX && rewindsOutOfOrder()) {
      throw new IllegalArgumentException(
          "deltasync:" + name + " takes no outOfOrder: only deltasync:inbox refuses batches");
    }
    if (needsPeer) {
      List<String> peers = peers();
      if (peers.isEmpty()) {
        throw new IllegalArgumentException(
            "deltasync:" + name + "?peer=" + peer + " names no peer (none has a secret)");
      }
      for (String each : peers) {
        Delta.requireNodeId(each, "peer");
        getComponent().secrets().require(each);
      }
    }
  }

  @Override
  public Consumer createConsumer(Processor processor) throws Exception {
    ShippingConsumer consumer =
        switch (kind) {
          case OUTBOX -> new OutboxConsumer(this, processor);
          case PULL -> new PullConsumer(this, processor);
          case LOAD -> {
            if (peer == null) {
              throw new UnsupportedOperationException(
                  "deltasync:load in from: is a client's load route and needs ?peer=<hub id>");
            }
            yield new LoadConsumer(this, processor);
          }
          default ->
              throw new UnsupportedOperationException(
                  "deltasync:"
                      + kind.name().toLowerCase(Locale.ROOT)
                      + " is a producer: use it in to:, not in from:");
        };
    configureConsumer(consumer);
    if (kind != Kind.OUTBOX && getInitialDelay() < 0) {
      // a node that starts pulls (or loads) at once: a new node's load, a restarted node's backlog
      consumer.setInitialDelay(0);
    }
    return consumer;
  }

  @Override
  public Producer createProducer() {
    return switch (kind) {
      case INBOX -> new InboxProducer(this);
      case FEED -> new FeedProducer(this);
      case VERIFY -> new VerifyProducer(this);
      case LOAD -> {
        if (peer != null) {
          throw new UnsupportedOperationException(
              "deltasync:load?peer=… is a client's load route (from:); the hub answers loads with"
                  + " deltasync:load, without a peer");
        }
        yield new LoadProducer(this);
      }
      default ->
          throw new UnsupportedOperationException(
              "deltasync:"
                  + kind.name().toLowerCase(Locale.ROOT)
                  + " is a consumer: use it in from:, not in to:");
    };
  }
}
