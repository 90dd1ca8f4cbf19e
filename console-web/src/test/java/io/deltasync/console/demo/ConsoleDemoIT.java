package io.deltasync.console.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.console.support.Browser;
import io.deltasync.console.support.TestHub;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: starts {@link ConsoleDemo} in its own JVM as {@code run-demo.sh} does
 * (same main class, JVM flags and arguments, on a free port), logs in with the password it prints,
 * sees three ONLINE nodes with moving pointers, and stops it as Ctrl-C would.
 */
@Tag("integration")
class ConsoleDemoIT {

  private static final Pattern LOGIN =
      Pattern.compile(
          "DeltaSync demo console: http://localhost:(\\d+)  user: admin  password: (\\S+)");
  private static final Pattern ONLINE = Pattern.compile("\"status\":\"ONLINE\"");
  private static final Pattern PROCESSED = Pattern.compile("\"lastProcessed\":(\\d+)");

  @Test
  void theDemoStartsThreeOnlineNodesWithMovingPointersAndStopsCleanly() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path output = Files.createTempFile("deltasync-demo", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-XX:TieredStopAtLevel=1");
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-") || argument.startsWith("-Dhazelcast.")) {
        command.add(argument);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ConsoleDemo.class.getName(),
            "--server.port=" + port));
    long started = System.nanoTime();
    Process demo =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      Matcher login = awaitLine(output, demo, Duration.ofSeconds(120));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      System.out.println("The demo's console answered after " + seconds + " s");
      assertThat(Integer.parseInt(login.group(1))).isEqualTo(port);

      Browser admin = new Browser(port);
      HttpResponse<String> loggedIn = admin.login("admin", login.group(2));
      assertThat(loggedIn.headers().firstValue("Location"))
          .hasValue("http://localhost:" + port + "/");

      TestHub.await("three ONLINE nodes", () -> count(ONLINE, admin.get("/api/nodes").body()) == 3);
      long before = processed(admin.get("/api/nodes").body());
      TestHub.await("a pointer moving", () -> processed(admin.get("/api/nodes").body()) > before);
      String page = admin.get("/").body();
      assertThat(count(Pattern.compile("status-ONLINE"), page)).isEqualTo(3);
      assertThat(page).contains("id=\"node-node-a\"").contains("id=\"node-node-b\"");
    } finally {
      demo.destroy();
      boolean exited = demo.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        demo.destroyForcibly();
      }
      String log = Files.readString(output);
      assertThat(exited).as("the demo stopped within 60 s:\n%s", tail(log)).isTrue();
      assertThat(log).contains("DeltaSync demo: stopped");
      Files.deleteIfExists(output);
    }
  }

  private static Matcher awaitLine(Path output, Process demo, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher line = LOGIN.matcher(Files.readString(output));
      if (line.find()) {
        return line;
      }
      assertThat(demo.isAlive())
          .as("the demo is running:\n%s", tail(Files.readString(output)))
          .isTrue();
      Thread.sleep(250);
    }
    throw new AssertionError(
        "no login line within " + timeout + ":\n" + tail(Files.readString(output)));
  }

  private static long processed(String nodes) {
    Matcher pointer = PROCESSED.matcher(nodes);
    long sum = 0;
    while (pointer.find()) {
      sum += Long.parseLong(pointer.group(1));
    }
    return sum;
  }

  private static int count(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  private static String tail(String log) {
    return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
  }
}
