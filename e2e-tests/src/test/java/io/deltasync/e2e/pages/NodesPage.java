package io.deltasync.e2e.pages;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/**
 * {@code /nodes}: every node with its status, every pointer with its lag, and (for an ADMIN) the
 * actions on each peer. The page refreshes itself.
 */
public final class NodesPage extends ConsolePage {

  NodesPage(Page page) {
    super(page);
  }

  /** Opens the Nodes page. */
  public static NodesPage open(Page page) {
    page.navigate("/nodes");
    return new NodesPage(page);
  }

  /** The node's row. */
  public Locator node(String nodeId) {
    return page.locator("#node-" + nodeId);
  }

  /** The node's status cell (ONLINE, STALE, OFFLINE). */
  public Locator status(String nodeId) {
    return node(nodeId).locator(".node-status");
  }

  /** The node's status as the page shows it now. */
  public String statusOf(String nodeId) {
    return status(nodeId).textContent().trim();
  }

  /** The pointer row of this node for the peer. */
  public Locator pointer(String nodeId, String peerId) {
    return page.locator("#pointer-" + nodeId + "-" + peerId);
  }

  /** The hub's lastPushed for the peer, as shown. */
  public long lastPushed(String nodeId, String peerId) {
    return Long.parseLong(pointer(nodeId, peerId).locator(".last-pushed").textContent().trim());
  }

  /** The hub's lag for the peer, in deltas. */
  public Locator lag(String nodeId, String peerId) {
    return pointer(nodeId, peerId).locator(".lag-deltas");
  }

  /** Whether shipping to the peer is shown PAUSED or RUNNING. */
  public Locator shipping(String nodeId, String peerId) {
    return pointer(nodeId, peerId).locator(".shipping");
  }

  /** Every action link and button of the page (an ADMIN's). */
  public Locator actions() {
    return page.locator("td.actions a, #purge");
  }

  /** Starts a re-send to the peer. */
  public ResendPage resendTo(String peer) {
    page.locator("#resend-" + peer).click();
    page.waitForURL("**/actions/resend**");
    return new ResendPage(page);
  }

  /** Starts pausing shipping to the peer. */
  public ShippingPage pause(String peer) {
    page.locator("#pause-" + peer).click();
    page.waitForURL("**/actions/shipping**");
    return new ShippingPage(page);
  }

  /** Starts resuming shipping to the peer. */
  public ShippingPage resume(String peer) {
    page.locator("#resume-" + peer).click();
    page.waitForURL("**/actions/shipping**");
    return new ShippingPage(page);
  }

  /** Where a reload with the peer stands (RELOAD_DUE, LOADING, HELD with the reason), or "-". */
  public Locator reloadState(String nodeId, String peerId) {
    return pointer(nodeId, peerId).locator(".reload");
  }

  /** The hub's request that the peer reload the table, on the peer's pointer row. */
  public Locator tableReload(String peerId, String table) {
    return page.locator("#table-reload-" + peerId + "-" + table);
  }

  /** Starts the reload of the peer. */
  public ReloadPage reload(String peer) {
    page.locator("#reload-" + peer).click();
    page.waitForURL("**/actions/reload**");
    return new ReloadPage(page);
  }

  /** Starts a purge. */
  public PurgePage purge() {
    page.locator("#purge").click();
    page.waitForURL("**/actions/purge**");
    return new PurgePage(page);
  }
}
