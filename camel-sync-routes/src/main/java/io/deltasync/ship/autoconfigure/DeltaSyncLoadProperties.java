package io.deltasync.ship.autoconfigure;

import io.deltasync.load.HubSnapshots;
import io.deltasync.load.Loader;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Load settings: whether a new client loads from its hub, what it does when it must reload, and the
 * size of a chunk.
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

  /** Rows per chunk of a load (1 to 10000); a chunk is applied in one transaction. */
  private int chunkRows = Loader.DEFAULT_CHUNK_ROWS;

  /** Hub side: how long a load's snapshot is kept while the receiver asks for no chunk. */
  private Duration idleTimeout = HubSnapshots.DEFAULT_IDLE_TIMEOUT;

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
