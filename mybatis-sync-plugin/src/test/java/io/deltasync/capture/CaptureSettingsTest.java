package io.deltasync.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Kind;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CaptureSettingsTest {

  private static Properties properties(String... keyValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return properties;
  }

  @Test
  void readsEveryPropertyKey() {
    CaptureSettings settings =
        CaptureSettings.fromProperties(
            properties(
                "nodeId", "node-a",
                "upstream", "hub",
                "includeTables", "note, ticket",
                "excludeTables", "ticket_archive",
                "includeStatements", "com.acme.*",
                "excludeStatements", "*.purge*",
                "excludeKinds", "delete",
                "evaluateOnEachNode", "com.acme.ItemMapper.touchAll, *.stamp*"));

    assertThat(settings.nodeId()).isEqualTo("node-a");
    assertThat(settings.upstream()).isEqualTo("hub");
    assertThat(settings.tables().include()).containsExactly("note", "ticket");
    assertThat(settings.tables().exclude()).containsExactly("ticket_archive");
    assertThat(settings.statements().selects("com.acme.NoteMapper.insert")).isTrue();
    assertThat(settings.statements().selects("com.acme.NoteMapper.purgeOld")).isFalse();
    assertThat(settings.excludedKinds()).containsExactly(Kind.DELETE);
    assertThat(settings.evaluatesOnEachNode("com.acme.ItemMapper.touchAll")).isTrue();
    assertThat(settings.evaluatesOnEachNode("com.acme.ItemMapper.stampAll")).isTrue();
    assertThat(settings.evaluatesOnEachNode("com.acme.ItemMapper.touch")).isFalse();
    assertThat(CaptureSettings.recordAll("a").evaluatesOnEachNode("any.thing")).isFalse();
  }

  @Test
  void neverRecordsItsOwnTables() {
    assertThat(CaptureSettings.recordAll("node-a").recordsTable("ds_delta")).isFalse();
    assertThat(CaptureSettings.recordAll("node-a").recordsTable("note")).isTrue();
  }

  @Test
  void refusesAnUnknownKeyNamingIt() {
    assertThatThrownBy(
            () -> CaptureSettings.fromProperties(properties("nodeId", "a", "excludeTable", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown DeltaSync property 'excludeTable'; known properties are");
  }

  @Test
  void refusesAMissingNodeId() {
    assertThatThrownBy(() -> CaptureSettings.fromProperties(properties()))
        .hasMessageContaining("DeltaSync needs the nodeId property");
  }

  @Test
  void refusesAMalformedNodeId() {
    assertThatThrownBy(() -> CaptureSettings.fromProperties(properties("nodeId", "Node A")))
        .hasMessage("nodeId must match [a-z0-9-]{1,64}, but was 'Node A'");
  }

  @Test
  void refusesAnUnknownKind() {
    assertThatThrownBy(
            () ->
                CaptureSettings.fromProperties(properties("nodeId", "a", "excludeKinds", "MERGE")))
        .hasMessage("excludeKinds takes INSERT, UPDATE or DELETE, but was 'MERGE'");
  }

  @Test
  void refusesAFilterClassThatIsNoDeltaFilter() {
    DeltaSyncInterceptor interceptor = new DeltaSyncInterceptor();

    assertThatThrownBy(
            () ->
                interceptor.setProperties(properties("nodeId", "a", "filters", "java.lang.String")))
        .hasMessage("filter java.lang.String does not implement io.deltasync.capture.DeltaFilter");
  }

  @Test
  void refusesToWrapAnExecutorBeforeItIsConfigured() {
    assertThatThrownBy(() -> new DeltaSyncInterceptor().settings())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("give it at least the nodeId property");
  }
}
