package io.deltasync.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.console.support.Browser;
import io.deltasync.console.support.Screenshot;
import io.deltasync.console.support.SharedHub;
import io.deltasync.console.support.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every page and detail, and the JSON API, against a running hub with real deltas from both
 * clients, a parked conflict and a dead letter: each checks what the page shows, not only that it
 * answers.
 */
@Tag("integration")
class ConsolePagesIT {

  private static TestHub hub;
  private static Browser admin;
  private static long conflictId;
  private static long deadLetterId;

  @BeforeAll
  static void startHubWithData() throws Exception {
    hub = SharedHub.get();
    hub.addTodoEverywhere(1, "Buy milk");
    for (long id = 2; id <= 8; id++) {
      hub.b().addTodo(id + 100, "From b " + id, java.time.LocalDateTime.now());
    }
    hub.addNoteEverywhere(1);
    conflictId = hub.conflictOnNote(1);
    deadLetterId = hub.deadLetter(9_001);
    admin = hub.admin();
  }

  @Test
  void theNodesPageShowsEveryNodeOnlineWithItsPointersLagAndChart() {
    String page = admin.get("/nodes").body();

    for (String node : List.of("hub", "node-a", "node-b")) {
      assertThat(page).contains("id=\"node-" + node + "\"");
    }
    assertThat(countOf(page, "status-ONLINE")).isEqualTo(3);
    assertThat(page)
        .contains("id=\"pointer-hub-node-a\"")
        .contains("id=\"pointer-hub-node-b\"")
        .contains("<polyline")
        .contains("id=\"initial-load\"")
        .contains("id=\"resend-node-a\"")
        .contains("http-equiv=\"refresh\"");
    assertThat(page)
        .as("a client over HTTP is shown at its remote address")
        .contains("http://127.0.0.1:")
        .doesNotContain("platform-http:");
    assertThat(admin.get("/api/nodes").body())
        .contains("\"nodeId\":\"node-a\"")
        .contains("\"status\":\"ONLINE\"")
        .contains("\"lastProcessed\"");
  }

  @Test
  void theDeltasPageFiltersByTableAndKindAndPagesOnSeqWithoutOverlap() {
    String todos = admin.get("/deltas?table=todo&kind=INSERT").body();
    assertThat(todos).contains("class=\"delta-table\">todo<").doesNotContain(">note<");
    assertThat(todos).doesNotContain("class=\"delta-kind\">UPDATE<");

    List<Long> first = seqs(todos);
    assertThat(first).hasSize(5).isSortedAccordingTo((x, y) -> Long.compare(y, x));
    Matcher next = Pattern.compile("id=\"next-page\"\\s+href=\"([^\"]+)\"").matcher(todos);
    assertThat(next.find()).isTrue();
    String secondPage = admin.get(next.group(1).replace("&amp;", "&")).body();
    List<Long> second = seqs(secondPage);
    assertThat(second).isNotEmpty().allMatch(seq -> seq < first.get(first.size() - 1));
    assertThat(secondPage).doesNotContain(">note<");

    String fromB = admin.get("/deltas?origin=node-b&order=oldest").body();
    assertThat(fromB)
        .contains("class=\"delta-origin\">node-b<")
        .doesNotContain("class=\"delta-origin\">node-a<");
    assertThat(seqs(fromB)).isSorted();
    assertThat(admin.get("/api/deltas?table=note").body())
        .contains("\"table\":\"note\"")
        .doesNotContain("\"table\":\"todo\"");
  }

  @Test
  void aDeltasDetailDecodesItsSqlParametersAndWhoStillNeedsIt() {
    String list = admin.get("/deltas?table=todo&kind=INSERT&order=oldest").body();
    long seq = seqs(list).get(0);
    String detail = admin.get("/deltas/" + seq).body();

    assertThat(detail)
        .contains("INSERT INTO todo")
        .contains("Buy milk")
        .contains("id=\"delta-origin\">node-a<")
        .contains("id=\"delta-received-from\">node-a<")
        .contains("id=\"delta-row-key\">{id=1}<")
        .contains("class=\"param-type\">LONG<")
        .contains("id=\"delta-tx\"")
        .contains("id=\"delta-basis\"")
        .contains("id=\"delta-pending-for\"");
    assertThat(admin.get("/api/deltas/" + seq).body()).contains("\"sql\":\"INSERT INTO todo");
    assertThat(admin.get("/deltas/999999").statusCode()).isEqualTo(404);
  }

  @Test
  void theConflictsPageListsTheParkedConflictAndItsDetailShowsBothSidesWithDifferences() {
    String list = admin.get("/conflicts?status=OPEN&table=note&policy=manual").body();
    assertThat(list)
        .contains("id=\"conflict-" + conflictId + "\"")
        .contains("class=\"conflict-policy\">manual<")
        .contains("class=\"conflict-status\">OPEN<");
    assertThat(admin.get("/conflicts?table=todo").body()).contains("id=\"no-conflicts\"");

    String detail = admin.get("/conflicts/" + conflictId).body();
    assertThat(detail)
        .contains("edited on node-a")
        .contains("edited on node-b")
        .containsPattern("id=\"column-body\"\\s+class=\"differs\"")
        .contains("≠ differs")
        .containsPattern("id=\"column-title\"\\s*>")
        .contains("id=\"resolve-keep-hub\"")
        .contains("id=\"resolve-custom\"")
        .contains("id=\"custom-body\"");
    assertThat(hub.viewer().get("/conflicts/" + conflictId).body())
        .contains("edited on node-b")
        .doesNotContain("id=\"resolve-keep-hub\"");
    assertThat(admin.get("/api/conflicts/" + conflictId).body()).contains("\"policy\":\"manual\"");
  }

  @Test
  void theDeadLettersPageShowsTheFailedDeltaWithItsReasonAndSender() {
    String page = admin.get("/dead-letters?status=FAILED").body();

    assertThat(page)
        .contains("id=\"dead-letter-" + deadLetterId + "\"")
        .contains("class=\"dead-letter-sender\">node-a<")
        .contains("class=\"dead-letter-status\">FAILED<")
        .containsIgnoringCase("ck_todo_hub")
        .contains("id=\"retry-selected\"");
    assertThat(admin.get("/api/dead-letters").body()).contains("\"receivedFrom\":\"node-a\"");
  }

  @Test
  void theAuditPageListsActionsAndOffersNoWayToChangeThem() {
    String page = admin.get("/audit").body();

    assertThat(page).contains("id=\"audit\"").doesNotContain("method=\"post\" action=\"/audit");
    assertThat(admin.get("/api/audit").statusCode()).isEqualTo(200);
  }

  @Test
  void theDeltasyncHealthIsDownWhileADeadLetterWaitsAndSaysSo() {
    String health = admin.get("/actuator/health/deltasync").body();

    assertThat(health)
        .contains("\"status\":\"DOWN\"")
        .contains("\"deadLetters\":1")
        .contains("\"node-a\":\"ONLINE\"");
  }

  @Test
  void theMetersCountShippingConflictsDeadLettersAndLagPerPeer() {
    assertThat(admin.get("/actuator/metrics/deltasync.deltas.applied").body())
        .contains("\"name\":\"deltasync.deltas.applied\"");
    assertThat(admin.get("/actuator/metrics/deltasync.conflicts?tag=outcome:OPEN").body())
        .contains("\"value\":1.0");
    assertThat(admin.get("/actuator/metrics/deltasync.dead.letters").body())
        .contains("\"value\":1.0");
    TestHub.await(
        "lag meters",
        () -> admin.get("/actuator/metrics/deltasync.peer.pending").statusCode() == 200);
    assertThat(admin.get("/actuator/metrics/deltasync.peer.lag.seconds").body())
        .contains("\"node-b\"");
    assertThat(admin.get("/actuator/env").statusCode()).isEqualTo(404);
  }

  @Test
  void aScreenshotOfTheNodesPageRendersInChromium() throws Exception {
    assertThat(Screenshot.available())
        .as("Debian's chromium at /usr/bin/chromium (./run-tests.sh installs it)")
        .isTrue();
    // the README's screenshots come from the browser journeys (e2e-tests)
    Path png = Path.of("target", "console-nodes.png");
    Files.deleteIfExists(png);

    Screenshot.take(admin, hub.port(), "/nodes", png);

    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  private static List<Long> seqs(String page) {
    Matcher seq = Pattern.compile("class=\"delta-seq\"[^>]*>(\\d+)<").matcher(page);
    List<Long> seqs = new ArrayList<>();
    while (seq.find()) {
      seqs.add(Long.parseLong(seq.group(1)));
    }
    return seqs;
  }

  private static int countOf(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
