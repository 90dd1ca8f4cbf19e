package io.deltasync.ship.autoconfigure;

import io.deltasync.load.HubSnapshots;
import io.deltasync.load.Loader;
import io.deltasync.load.ReverseChoice;
import io.deltasync.load.ReverseChoices;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Load settings: whether a new client loads from its hub, what it does when it must reload, whether
 * a client that already holds rows sends them to its hub first (reverse load), and the size of a
 * chunk.
 */
@ConfigurationProperties("deltasync.load")
public class DeltaSyncLoadProperties {

  /** Whether a client with no pointer and no delta from its hub first loads the hub's tables. */
  private boolean initial = true;

  /**
   * What a client does when its hub says it must reload (the hub purged deltas it never got, or its
   * database went back): auto reloads at once, manual waits for an operator's Loader.reload().
   */
  private Loader.Reload reload = Loader.Reload.AUTO;

  /**
   * The most rows of a chunk of a load (1 to 10000); fewer where rows are wide, about 4 MiB of rows
   * a chunk. A chunk is applied in one transaction.
   */
  private int chunkRows = Loader.DEFAULT_CHUNK_ROWS;

  /** Hub side: how long a load's snapshot is kept while the receiver asks for no chunk. */
  private Duration idleTimeout = HubSnapshots.DEFAULT_IDLE_TIMEOUT;

  /**
   * Reverse load: what a client that holds rows but no delta (data written before sync was enabled)
   * does with rows its hub holds with other values, before it loads from the hub.
   */
  private final Reverse reverse = new Reverse();

  /** Reverse-load choices: {@code default} and {@code tables.<table>}. */
  public static class Reverse {

    /**
     * Choice of tables not listed: client-wins, hub-wins or refuse; unset (and no table listed): no
     * reverse load, such a client takes deltas only.
     */
    private ReverseChoice defaultChoice;

    /** Choice per table (client-wins, hub-wins or refuse); unlisted tables take the default. */
    private Map<String, ReverseChoice> tables = new LinkedHashMap<>();

    /** Hub side: the choices a client's reverse load may make (all three unless narrowed). */
    private Set<ReverseChoice> accept = EnumSet.allOf(ReverseChoice.class);

    public ReverseChoice getDefault() {
      return defaultChoice;
    }

    public void setDefault(ReverseChoice defaultChoice) {
      this.defaultChoice = defaultChoice;
    }

    public Map<String, ReverseChoice> getTables() {
      return tables;
    }

    public void setTables(Map<String, ReverseChoice> tables) {
      this.tables = tables;
    }

    public Set<ReverseChoice> getAccept() {
      return accept;
    }

    public void setAccept(Set<ReverseChoice> accept) {
      this.accept = accept;
    }

    /** The choices as the loader takes them. */
    public ReverseChoices choices() {
      return new ReverseChoices(defaultChoice, tables);
    }
  }

  public Reverse getReverse() {
    return reverse;
  }

  public boolean isInitial() {
    return initial;
  }

  public void setInitial(boolean initial) {
    this.initial = initial;
  }

  public Loader.Reload getReload() {
    return reload;
  }

  public void setReload(Loader.Reload reload) {
    this.reload = reload;
  }

  public int getChunkRows() {
    return chunkRows;
  }

  public void setChunkRows(int chunkRows) {
    this.chunkRows = chunkRows;
  }

  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }
}
