package io.deltasync.e2e;

import static io.deltasync.e2e.support.E2eSystem.ADMIN;
import static io.deltasync.e2e.support.E2eSystem.CLIENT_A;
import static io.deltasync.e2e.support.E2eSystem.HUB;
import static io.deltasync.e2e.support.E2eSystem.VIEWER;
import static io.deltasync.e2e.support.E2eSystem.VIEWER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import io.deltasync.e2e.pages.LoginPage;
import io.deltasync.e2e.pages.NodesPage;
import io.deltasync.e2e.support.Db;
import io.deltasync.e2e.support.Journey;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Journey 1: logging in and out, and what a VIEWER may not do. */
@Order(1)
class LoginJourneyIT extends Journey {

  @Test
  void aWrongPasswordShowsAnErrorAndNoData() {
    LoginPage login = LoginPage.open(page).logInRefused(ADMIN, "not-the-password");

    PlaywrightAssertions.assertThat(login.error()).hasText("Wrong user name or password.");
    page.navigate("/nodes");
    assertThat(page.url()).endsWith("/login");
    PlaywrightAssertions.assertThat(page.locator("#nodes")).hasCount(0);
    assertThat(page.content()).doesNotContain(CLIENT_A);
  }

  @Test
  void aViewerSeesTheNodesWithoutActionsAndAHandMadeActionIsRefused() {
    NodesPage nodes = logIn(VIEWER, VIEWER_PASSWORD);

    PlaywrightAssertions.assertThat(nodes.userName()).hasText(VIEWER);
    PlaywrightAssertions.assertThat(nodes.node(HUB)).isVisible();
    PlaywrightAssertions.assertThat(nodes.node(CLIENT_A)).isVisible();
    PlaywrightAssertions.assertThat(nodes.actions()).hasCount(0);

    Db hub = system.db(HUB);
    long auditedBefore = audited(hub);
    String token = page.locator("input[name=_csrf]").first().getAttribute("value");
    APIResponse resend =
        page.request()
            .post(
                "/actions/resend",
                RequestOptions.create()
                    .setForm(
                        FormData.create()
                            .set("peer", CLIENT_A)
                            .set("fromSeq", "0")
                            .set("_csrf", token))
                    .setMaxRedirects(0));
    APIResponse purge =
        page.request()
            .post(
                "/api/actions/purge",
                RequestOptions.create()
                    .setHeader("X-CSRF-TOKEN", token)
                    .setHeader("Content-Type", "application/json")
                    .setData("{\"force\":true}")
                    .setMaxRedirects(0));

    assertThat(resend.status()).isEqualTo(403);
    assertThat(purge.status()).isEqualTo(403);
    assertThat(audited(hub)).isEqualTo(auditedBefore);
    screenshot("1-login-viewer");
  }

  @Test
  void anAdminsActionWithoutTheFormsTokenIsRefused() {
    logInAsAdmin();
    long auditedBefore = audited(system.db(HUB));

    APIResponse resend =
        page.request()
            .post(
                "/actions/resend",
                RequestOptions.create()
                    .setForm(FormData.create().set("peer", CLIENT_A).set("fromSeq", "0"))
                    .setMaxRedirects(0));

    assertThat(resend.status()).isEqualTo(403);
    assertThat(audited(system.db(HUB))).isEqualTo(auditedBefore);
  }

  @Test
  void loggingOutEndsTheSessionAndTheBackButtonShowsNothing() {
    NodesPage nodes = logIn(VIEWER, VIEWER_PASSWORD);
    PlaywrightAssertions.assertThat(nodes.node(CLIENT_A)).isVisible();

    LoginPage login = nodes.logOut();
    PlaywrightAssertions.assertThat(login.loggedOut()).isVisible();
    page.goBack();

    PlaywrightAssertions.assertThat(page.locator("#login-form")).isVisible();
    PlaywrightAssertions.assertThat(page.locator("#nodes")).hasCount(0);
    page.navigate("/nodes");
    assertThat(page.url()).endsWith("/login");
  }

  /** Actions that reached the console's controllers: each is audited, refused or not. */
  private static long audited(Db hub) {
    return hub.number("SELECT COUNT(*) FROM ds_audit");
  }
}
