package io.deltasync.console.conflict;

import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.ConflictStatus;
import java.util.Locale;

/**
 * What the Conflicts page lists; null fields leave the list open.
 *
 * @param status OPEN or RESOLVED
 * @param table only conflicts on this table (lower case)
 * @param policy only conflicts decided under this policy
 */
public record ConflictFilter(ConflictStatus status, String table, String policy) {

  public ConflictFilter {
    table = table == null || table.isBlank() ? null : table.trim().toLowerCase(Locale.ROOT);
    policy = policy == null || policy.isBlank() ? null : policy.trim();
  }

  /** Whether the conflict passes the table and policy filters (status is filtered by the query). */
  public boolean matches(ConflictRecord conflict) {
    return (table == null || table.equals(conflict.table()))
        && (policy == null || policy.equals(conflict.policy()));
  }
}
