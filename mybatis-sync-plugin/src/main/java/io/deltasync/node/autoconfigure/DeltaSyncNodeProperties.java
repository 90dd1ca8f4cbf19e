package io.deltasync.node.autoconfigure;

import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.delta.Delta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Who this node is and how it syncs, bound from {@code deltasync.node.*}.
 *
 * <p>Validates itself when bound: a missing or malformed {@code id} fails startup with a message
 * naming {@code deltasync.node.id}. Mutable, as Spring binds it; not thread-safe until bound.
 */
@ConfigurationProperties("deltasync.node")
public class DeltaSyncNodeProperties implements Validator {

  /** This node's id, recorded as the origin of its deltas: 1 to 64 of a-z, 0-9 and '-'. */
  private String id;

  /** Id of the hub this node pulls from; unset when the node has none. */
  private String upstream;

  /**
   * Functions that deltas from other nodes may call, besides DeltaValidator.DEFAULT_FUNCTIONS
   * (common pure string, number and aggregate functions); any other is refused, including those
   * returning a different value on each node (now, random, uuid, nextval, ...).
   */
  private List<String> allowedFunctions = new ArrayList<>();

  /** Most deltas sent or fetched in one batch. */
  private int batchSize = 500;

  /**
   * Senders that may pass on deltas of other origins and row images, like the upstream: the hubs
   * below this one in a tree. Any other sender may send only deltas it originated.
   */
  private List<String> relays = new ArrayList<>();

  /**
   * How long each statement of an applied batch, and the batch as a whole, may run before it is
   * cancelled, rolled back and recorded as a dead letter.
   */
  private Duration statementTimeout = DeltaApplier.DEFAULT_STATEMENT_TIMEOUT;

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getUpstream() {
    return upstream;
  }

  public void setUpstream(String upstream) {
    this.upstream = upstream == null || upstream.isBlank() ? null : upstream.trim();
  }

  public List<String> getRelays() {
    return relays;
  }

  public void setRelays(List<String> relays) {
    this.relays = relays;
  }

  public Duration getStatementTimeout() {
    return statementTimeout;
  }

  public void setStatementTimeout(Duration statementTimeout) {
    this.statementTimeout = statementTimeout;
  }

  public List<String> getAllowedFunctions() {
    return allowedFunctions;
  }

  public void setAllowedFunctions(List<String> allowedFunctions) {
    this.allowedFunctions = allowedFunctions;
  }

  /** The functions deltas may call: the defaults and the allowed ones, lower case. */
  public Set<String> functions() {
    Set<String> functions = new HashSet<>(DeltaValidator.DEFAULT_FUNCTIONS);
    for (String function : allowedFunctions) {
      functions.add(function.trim().toLowerCase(Locale.ROOT));
    }
    return functions;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(int batchSize) {
    this.batchSize = batchSize;
  }

  @Override
  public boolean supports(Class<?> type) {
    return DeltaSyncNodeProperties.class.isAssignableFrom(type);
  }

  @Override
  public void validate(Object target, Errors errors) {
    DeltaSyncNodeProperties properties = (DeltaSyncNodeProperties) target;
    String expected = "1 to 64 of a-z, 0-9 and '-' (" + Delta.NODE_ID.pattern() + "), e.g. node-a";
    if (properties.id == null || properties.id.isBlank()) {
      errors.rejectValue(
          "id", "required", "deltasync.node.id is required: set this node's id, " + expected);
    } else if (!Delta.NODE_ID.matcher(properties.id).matches()) {
      errors.rejectValue(
          "id",
          "malformed",
          "deltasync.node.id must be " + expected + ", but was '" + properties.id + "'");
    }
    if (properties.statementTimeout == null
        || properties.statementTimeout.isNegative()
        || properties.statementTimeout.isZero()) {
      errors.rejectValue(
          "statementTimeout",
          "malformed",
          "deltasync.node.statement-timeout must be > 0, but was " + properties.statementTimeout);
    }
    for (String relay : properties.relays) {
      if (relay == null || !Delta.NODE_ID.matcher(relay.trim()).matches()) {
        errors.rejectValue(
            "relays",
            "malformed",
            "deltasync.node.relays must list node ids, " + expected + ", but held '" + relay + "'");
      }
    }
    if (properties.upstream != null && !Delta.NODE_ID.matcher(properties.upstream).matches()) {
      errors.rejectValue(
          "upstream",
          "malformed",
          "deltasync.node.upstream must be a node id, "
              + expected
              + ", but was '"
              + properties.upstream
              + "'");
    }
    if (properties.batchSize <= 0) {
      errors.rejectValue(
          "batchSize",
          "notPositive",
          "deltasync.node.batch-size must be > 0, but was " + properties.batchSize);
    }
  }
}
