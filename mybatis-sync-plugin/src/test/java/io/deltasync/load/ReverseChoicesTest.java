package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reverse-load choices: off unless chosen, per table over the default, refuse when unset. */
class ReverseChoicesTest {

  @Test
  void isOffUntilADefaultOrATableIsChosen() {
    assertThat(ReverseChoices.NONE.enabled()).isFalse();
    assertThat(new ReverseChoices(null, Map.of("note", ReverseChoice.HUB_WINS)).enabled()).isTrue();
    assertThat(ReverseChoices.all(ReverseChoice.CLIENT_WINS).enabled()).isTrue();
  }

  @Test
  void aListedTableOverridesTheDefaultAndAnUnlistedOneRefusesWithoutADefault() {
    ReverseChoices some = new ReverseChoices(null, Map.of("Note", ReverseChoice.CLIENT_WINS));
    ReverseChoices all =
        new ReverseChoices(ReverseChoice.HUB_WINS, Map.of("note", ReverseChoice.REFUSE));

    assertThat(some.of("NOTE")).isEqualTo(ReverseChoice.CLIENT_WINS);
    assertThat(some.of("ticket")).isEqualTo(ReverseChoice.REFUSE);
    assertThat(all.of("note")).isEqualTo(ReverseChoice.REFUSE);
    assertThat(all.of("ticket")).isEqualTo(ReverseChoice.HUB_WINS);
  }

  @Test
  void choicesReadAsTheConfigurationWritesThemAndOthersAreRefusedByName() {
    assertThat(ReverseChoice.parse("client-wins")).isEqualTo(ReverseChoice.CLIENT_WINS);
    assertThat(ReverseChoice.parse(" HUB_WINS ")).isEqualTo(ReverseChoice.HUB_WINS);
    assertThat(ReverseChoice.REFUSE.text()).isEqualTo("refuse");
    assertThatThrownBy(() -> ReverseChoice.parse("server-wins"))
        .hasMessage(
            "a reverse-load choice must be client-wins, hub-wins or refuse, but was 'server-wins'");
  }
}
