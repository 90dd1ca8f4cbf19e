package io.deltasync.verify;

import java.util.List;

/**
 * A hub that counts the pages it is asked for and can run an action right after reading one, such
 * as a write on the hub that the client pulls before it writes the page: the page is then older
 * than what the client has applied.
 */
final class CountingPages extends ForwardingVerifyHub {

  private final int actAfterPage;
  private final Runnable action;
  private int pages;

  /** Counts pages only. */
  CountingPages(VerifyHub hub) {
    this(hub, 0, () -> {});
  }

  /** Counts pages and runs the action after the {@code actAfterPage}th page read (from 1). */
  CountingPages(VerifyHub hub, int actAfterPage, Runnable action) {
    super(hub);
    this.actAfterPage = actAfterPage;
    this.action = action;
  }

  /** How many pages were read. */
  synchronized int pages() {
    return pages;
  }

  @Override
  public HubRows page(String requester, String table, List<String> after, int limit) {
    HubRows page = super.page(requester, table, after, limit);
    int read;
    synchronized (this) {
      read = ++pages;
    }
    if (read == actAfterPage) {
      action.run();
    }
    return page;
  }
}
