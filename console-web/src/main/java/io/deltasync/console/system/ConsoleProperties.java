package io.deltasync.console.system;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's settings, bound from {@code deltasync.console.*}.
 *
 * <p>Mutable, as Spring binds it; read only after binding.
 */
@ConfigurationProperties("deltasync.console")
public class ConsoleProperties {

  /** Console users by name; when empty, user 'admin' is created with a generated password. */
  private Map<String, User> users = new LinkedHashMap<>();

  /** Seconds between automatic refreshes of the Nodes page; 0 turns refreshing off. */
  private int refreshSeconds = 5;

  /** Rows per page of the Deltas, Dead letters and Audit lists. */
  private int pageSize = 50;

  /** How often each peer's lag is sampled for the Nodes page's chart. */
  private Duration lagSampleInterval = Duration.ofSeconds(5);

  /** How far back the Nodes page's lag chart reaches. */
  private Duration lagHistory = Duration.ofMinutes(5);

  /** How long a node may be OFFLINE before the deltasync health indicator reports DOWN. */
  private Duration offlineDownAfter = Duration.ofMinutes(5);

  /** One console user. */
  public static class User {

    /**
     * The password: an encoded one with its encoder id, such as {@code {bcrypt}$2a$10$...}
     * (recommended), or plain text, which is BCrypt-hashed when the console starts.
     */
    private String password;

    /** VIEWER (read only) or ADMIN (read and act). */
    private Role role = Role.VIEWER;

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    public Role getRole() {
      return role;
    }

    public void setRole(Role role) {
      this.role = role;
    }
  }

  /** What a console user may do. */
  public enum Role {
    /** Sees every page and API answer. */
    VIEWER,
    /** Sees everything and performs actions. */
    ADMIN
  }

  public Map<String, User> getUsers() {
    return users;
  }

  public void setUsers(Map<String, User> users) {
    this.users = users;
  }

  public int getRefreshSeconds() {
    return refreshSeconds;
  }

  public void setRefreshSeconds(int refreshSeconds) {
    this.refreshSeconds = refreshSeconds;
  }

  public int getPageSize() {
    return pageSize;
  }

  public void setPageSize(int pageSize) {
    this.pageSize = pageSize;
  }

  public Duration getLagSampleInterval() {
    return lagSampleInterval;
  }

  public void setLagSampleInterval(Duration lagSampleInterval) {
    this.lagSampleInterval = lagSampleInterval;
  }

  public Duration getLagHistory() {
    return lagHistory;
  }

  public void setLagHistory(Duration lagHistory) {
    this.lagHistory = lagHistory;
  }

  public Duration getOfflineDownAfter() {
    return offlineDownAfter;
  }

  public void setOfflineDownAfter(Duration offlineDownAfter) {
    this.offlineDownAfter = offlineDownAfter;
  }
}
