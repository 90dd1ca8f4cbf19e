package io.deltasync.e2e.faults;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between one node and the JMS broker: relays Artemis core protocol frames (a 4-byte
 * length, a type byte, a channel id, the packet) in both directions at once, each direction on a
 * thread of its own, and understands just enough of them to aim the faults of every {@link
 * FaultProxy}: a message is a send to the broker ({@code SESS_SEND}, a batch or a rewind) or a
 * delivery from it ({@code SESS_RECEIVE_MSG}); the answer dropped is the broker's confirmation of
 * the node's next send or transaction commit on that session's channel, so the node cannot know
 * whether its batch reached the queue, or whether the batch it applied left it. Thread-safe.
 */
final class JmsFaultProxy extends FaultProxy {

  private static final byte EXCEPTION = 20;
  private static final byte NULL_RESPONSE = 21;
  private static final byte SESS_COMMIT = 43;
  private static final byte SESS_SEND = 71;
  private static final byte SESS_SEND_LARGE = 72;
  private static final byte SESS_RECEIVE_MSG = 75;
  private static final byte SESS_RECEIVE_LARGE_MSG = 76;
  private static final long NONE = Long.MIN_VALUE;

  /** What an Artemis client writes first when the acceptor detects protocols. */
  private static final byte[] HANDSHAKE = "ARTEMIS".getBytes(StandardCharsets.US_ASCII);

  private static final int MAX_FRAME = 64 << 20;

  JmsFaultProxy(String name, int brokerPort) {
    super(name, brokerPort);
  }

  /** Its URL, for the node's {@code spring.artemis.broker-url}. */
  String brokerUrl() {
    return "tcp://127.0.0.1:" + port();
  }

  @Override
  void relay(Socket node, Socket broker) throws IOException {
    // the channel whose next confirmation is to be swallowed, per connection
    AtomicLong dropOn = new AtomicLong(NONE);
    spawn(
        () -> {
          try {
            fromBroker(broker, node, dropOn);
          } catch (IOException e) {
            // the connection ended: the other direction ends with it
          } finally {
            close(node, broker);
          }
        });
    try {
      toBroker(node, broker, dropOn);
    } finally {
      close(node, broker);
    }
  }

  private void toBroker(Socket node, Socket broker, AtomicLong dropOn) throws IOException {
    InputStream in = new BufferedInputStream(node.getInputStream());
    OutputStream out = broker.getOutputStream();
    in.mark(HANDSHAKE.length);
    byte[] first = in.readNBytes(HANDSHAKE.length);
    if (Arrays.equals(first, HANDSHAKE)) {
      out.write(first);
    } else {
      in.reset();
    }
    for (byte[] frame = read(in); frame != null; frame = read(in)) {
      byte type = frame[4];
      boolean send = type == SESS_SEND || type == SESS_SEND_LARGE;
      pause();
      if (send && takeResetMessage()) {
        halfAndReset(frame, out, node, broker, "JMS send reset halfway");
        return;
      }
      out.write(frame);
      out.flush();
      if (send) {
        fire(Moment.SENT_TO_BROKER);
      }
      if ((send || type == SESS_COMMIT) && takeDropAnswer()) {
        dropOn.set(channel(frame));
      }
    }
  }

  private void fromBroker(Socket broker, Socket node, AtomicLong dropOn) throws IOException {
    InputStream in = new BufferedInputStream(broker.getInputStream());
    OutputStream out = node.getOutputStream();
    for (byte[] frame = read(in); frame != null; frame = read(in)) {
      byte type = frame[4];
      pause();
      if ((type == NULL_RESPONSE || type == EXCEPTION)
          && dropOn.get() != NONE
          && dropOn.get() == channel(frame)) {
        count("JMS confirmation dropped (send or commit)");
        reset(broker);
        reset(node);
        return;
      }
      boolean delivery = type == SESS_RECEIVE_MSG || type == SESS_RECEIVE_LARGE_MSG;
      if (delivery && takeResetMessage()) {
        halfAndReset(frame, out, broker, node, "JMS delivery reset halfway");
        return;
      }
      out.write(frame);
      out.flush();
      if (delivery) {
        fire(Moment.DELIVERED_BY_BROKER);
      }
    }
  }

  private void halfAndReset(byte[] frame, OutputStream out, Socket from, Socket to, String what)
      throws IOException {
    out.write(frame, 0, frame.length / 2);
    out.flush();
    count(what);
    reset(to);
    reset(from);
  }

  /** One frame, its length prefix included; null at the end of the stream. */
  private static byte[] read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int length;
    try {
      length = data.readInt();
    } catch (EOFException e) {
      return null;
    }
    if (length < 9 || length > MAX_FRAME) {
      throw new IOException("not an Artemis core frame: length " + length);
    }
    byte[] frame = new byte[4 + length];
    ByteBuffer.wrap(frame).putInt(length);
    data.readFully(frame, 4, length);
    return frame;
  }

  private static long channel(byte[] frame) {
    return ByteBuffer.wrap(frame, 5, 8).getLong();
  }

  private static void close(Socket a, Socket b) {
    try {
      a.close();
    } catch (IOException e) {
      // gone already
    }
    try {
      b.close();
    } catch (IOException e) {
      // gone already
    }
  }
}
