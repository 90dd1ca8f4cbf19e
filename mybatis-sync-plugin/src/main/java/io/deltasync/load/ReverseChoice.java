package io.deltasync.load;

import java.util.Locale;

/**
 * What a reverse load does with a row that the client and the hub both hold under the same key with
 * different values. Rows only the client holds are added to the hub under every choice; rows only
 * the hub holds reach the client through the initial load that follows.
 */
public enum ReverseChoice {
  /** The client's row overwrites the hub's, and the hub sends it on to every other node. */
  CLIENT_WINS,
  /** The hub keeps its row; the client gets the hub's row by the initial load that follows. */
  HUB_WINS,
  /** The reverse load stops with an error naming the table and a differing key. */
  REFUSE;

  /**
   * The choice written as in the configuration: {@code client-wins}, {@code hub-wins} or {@code
   * refuse} (case and {@code _}/{@code -} do not matter).
   *
   * @throws IllegalArgumentException naming the accepted words
   */
  public static ReverseChoice parse(String text) {
    String name = text == null ? "" : text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (ReverseChoice choice : values()) {
      if (choice.name().equals(name)) {
        return choice;
      }
    }
    throw new IllegalArgumentException(
        "a reverse-load choice must be client-wins, hub-wins or refuse, but was '" + text + "'");
  }

  /** The choice as the configuration writes it, e.g. {@code client-wins}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
