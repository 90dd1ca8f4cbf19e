package io.deltasync.node.autoconfigure;

import io.deltasync.store.RetentionPurge;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * How this node keeps {@code ds_delta} from growing without end, bound from {@code
 * deltasync.purge.*}: see {@link RetentionPurge}. Validates itself when bound: a duration that is
 * not positive fails startup with a message naming its key. Mutable, as Spring binds it; not
 * thread-safe until bound.
 */
@ConfigurationProperties("deltasync.purge")
public class DeltaSyncPurgeProperties implements Validator {

  /** Whether the node deletes, now and then, the deltas every peer acknowledged long enough ago. */
  private boolean enabled = true;

  /**
   * How long a delta is kept after it was stored, once every known peer acknowledged it: at least
   * as long as the node may be restored from a backup.
   */
  private Duration retention = RetentionPurge.DEFAULT_RETENTION;

  /** How often the purge runs. */
  private Duration every = RetentionPurge.DEFAULT_EVERY;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Duration getRetention() {
    return retention;
  }

  public void setRetention(Duration retention) {
    this.retention = retention;
  }

  public Duration getEvery() {
    return every;
  }

  public void setEvery(Duration every) {
    this.every = every;
  }

  @Override
  public boolean supports(Class<?> type) {
    return DeltaSyncPurgeProperties.class.isAssignableFrom(type);
  }

  @Override
  public void validate(Object target, Errors errors) {
    DeltaSyncPurgeProperties properties = (DeltaSyncPurgeProperties) target;
    if (!positive(properties.retention)) {
      errors.rejectValue(
          "retention",
          "notPositive",
          "deltasync.purge.retention must be > 0 (e.g. 7d), but was " + properties.retention);
    }
    if (!positive(properties.every)) {
      errors.rejectValue(
          "every",
          "notPositive",
          "deltasync.purge.every must be > 0 (e.g. 1h), but was " + properties.every);
    }
  }

  private static boolean positive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }
}
