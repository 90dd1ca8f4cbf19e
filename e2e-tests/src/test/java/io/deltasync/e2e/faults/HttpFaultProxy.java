package io.deltasync.e2e.faults;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * The network between one HTTP client and the hub: passes HTTP messages whole, one request and its
 * response at a time. Besides the faults of every {@link FaultProxy} (a message here is a request,
 * its answer the hub's response), it delivers earlier push requests again in reverse order and an
 * earlier pull answer again (duplicated and reordered deliveries). Thread-safe; each connection
 * runs on a thread of its own.
 */
final class HttpFaultProxy extends FaultProxy {

  private static final String PUSH = "/deltasync/batches";
  private static final String PULL = "/deltasync/feed";
  private static final int KEPT = 6;

  private final Deque<byte[]> pushes = new ArrayDeque<>();
  private volatile byte[] lastPull;
  private volatile boolean stalePullArmed;

  HttpFaultProxy(String name, int hubPort) {
    super(name, hubPort);
  }

  /** Its URL, for the client's {@code deltasync.ship.upstream-url}. */
  String url() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * Delivers the pushes kept so far to the hub again, newest first (duplicated and reordered), and
   * answers the client's next pull with the last pull answer it already got (a stale duplicate).
   *
   * @return how many pushes the hub answered
   */
  int replay() {
    List<byte[]> again;
    synchronized (pushes) {
      again = new ArrayList<>(pushes);
    }
    stalePullArmed = lastPull != null;
    int answered = 0;
    Collections.reverse(again);
    for (byte[] request : again) {
      try (Socket hub = connectToTarget()) {
        hub.setSoTimeout(30_000);
        hub.getOutputStream().write(request);
        hub.getOutputStream().flush();
        HttpMessage.readResponse(new BufferedInputStream(hub.getInputStream()));
        answered++;
        count("push delivered again");
      } catch (IOException e) {
        count("push replay not answered (" + e.getClass().getSimpleName() + ")");
      }
    }
    return answered;
  }

  @Override
  void heal() {
    super.heal();
    stalePullArmed = false;
  }

  @Override
  void relay(Socket client, Socket hub) throws IOException {
    InputStream fromClient = new BufferedInputStream(client.getInputStream());
    OutputStream toClient = client.getOutputStream();
    InputStream fromHub = new BufferedInputStream(hub.getInputStream());
    OutputStream toHub = hub.getOutputStream();
    for (HttpMessage request = HttpMessage.readRequest(fromClient);
        request != null;
        request = HttpMessage.readRequest(fromClient)) {
      pause();
      if (takeResetMessage()) {
        toHub.write(request.bytes(), 0, request.bytes().length / 2);
        toHub.flush();
        count("request reset halfway");
        reset(hub);
        reset(client);
        return;
      }
      toHub.write(request.bytes());
      toHub.flush();
      boolean push = request.path().endsWith(PUSH);
      boolean pull = request.path().endsWith(PULL);
      if (push) {
        keep(request.bytes());
        if (request.deltaCount() > 0) {
          fire(Moment.PUSH_AT_HUB);
        }
      }
      if (pull) {
        fire(Moment.PULL_AT_HUB);
      }
      HttpMessage response = HttpMessage.readResponse(fromHub);
      if (takeDropAnswer()) {
        count(push ? "push answer dropped" : pull ? "pull answer dropped" : "answer dropped");
        reset(hub);
        reset(client);
        return;
      }
      byte[] answer = response.bytes();
      if (pull && response.status() == 200) {
        if (stalePullArmed && lastPull != null) {
          stalePullArmed = false;
          answer = lastPull;
          count("stale pull answer delivered");
        } else {
          lastPull = answer;
        }
      }
      pause();
      toClient.write(answer);
      toClient.flush();
      if (pull && response.deltaCount() > 0) {
        fire(Moment.PULL_ANSWER_AT_CLIENT);
      }
    }
  }

  private void keep(byte[] request) {
    synchronized (pushes) {
      pushes.addLast(request);
      while (pushes.size() > KEPT) {
        pushes.removeFirst();
      }
    }
  }
}
