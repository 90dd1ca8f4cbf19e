package io.deltasync.conflict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.example.MergeFields;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Plain MyBatis: the plugin's {@code conflictPolicy} properties configure a hub's policies. */
class ConflictPolicyPropertiesTest {

  @Test
  void thePluginReadsTheDefaultAndPerTablePolicies() {
    Properties properties = new Properties();
    properties.setProperty("nodeId", "hub");
    properties.setProperty("conflictPolicy", "last-writer-wins");
    properties.setProperty("conflictPolicy.note", "manual");
    properties.setProperty("conflictPolicy.Ticket", MergeFields.class.getName());
    DeltaSyncInterceptor plugin = new DeltaSyncInterceptor();

    plugin.setProperties(properties);

    ConflictPolicies policies = plugin.conflictPolicies();
    assertThat(policies.fallback().resolver()).isEqualTo(ConflictPolicy.LAST_WRITER_WINS);
    assertThat(policies.forTable("NOTE").resolver()).isEqualTo(ConflictPolicy.MANUAL);
    assertThat(policies.forTable("ticket").resolver()).isInstanceOf(MergeFields.class);
    assertThat(policies.forTable("ticket").name()).isEqualTo(MergeFields.class.getName());
    assertThat(policies.forTable("other").name()).isEqualTo("last-writer-wins");
  }

  @Test
  void withoutPolicyPropertiesEveryTableIsServerWins() {
    Properties properties = new Properties();
    properties.setProperty("nodeId", "hub");
    DeltaSyncInterceptor plugin = new DeltaSyncInterceptor();

    plugin.setProperties(properties);

    assertThat(plugin.conflictPolicies().forTable("note").resolver())
        .isEqualTo(ConflictPolicy.SERVER_WINS);
  }

  @Test
  void aWrongPolicyIsAnErrorNamingTheTableAndTheValue() {
    Properties properties = new Properties();
    properties.setProperty("nodeId", "hub");
    properties.setProperty("conflictPolicy.note", "String");

    assertThatThrownBy(() -> new DeltaSyncInterceptor().setProperties(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the conflict policy of table note must be server-wins, client-wins,"
                + " last-writer-wins, manual or the class name of a ConflictResolver, but was"
                + " 'String'");
    properties.setProperty("conflictPolicy.note", "java.lang.String");
    assertThatThrownBy(() -> new DeltaSyncInterceptor().setProperties(properties))
        .hasMessage(
            "the conflict policy of table note names java.lang.String, which does not implement"
                + " io.deltasync.conflict.ConflictResolver");
  }

  @Test
  void otherUnknownPropertiesAreStillRefused() {
    Properties properties = new Properties();
    properties.setProperty("nodeId", "hub");
    properties.setProperty("conflictPolicies", "manual");

    assertThatThrownBy(() -> new DeltaSyncInterceptor().setProperties(properties))
        .hasMessageContaining("unknown DeltaSync property 'conflictPolicies'");
  }
}
