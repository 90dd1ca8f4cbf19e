package io.deltasync.delta.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void plainTextIsShownAsItIs() {
    String text = "table note is not replicated by this node: 'ä', \"x\" \\ ok";

    assertThat(LogText.of(text)).isSameAs(text);
    assertThat(LogText.hasUnsafe(text)).isFalse();
    assertThat(LogText.of(null)).isEqualTo("null");
  }

  @Test
  void lineBreaksAndControlCharactersBecomeVisibleEscapes() {
    String forged = "x\r\n2026-12-05 22:00:00 INFO  DeltaApplier - all fine\tend\u0000\u001b[31m";

    assertThat(LogText.of(forged))
        .isEqualTo(
            "x\\r\\n2026-12-05 22:00:00 INFO  DeltaApplier - all fine\\tend\\u0000\\u001b[31m")
        .doesNotContain("\n", "\r");
    assertThat(LogText.hasUnsafe(forged)).isTrue();
  }

  @Test
  void unicodeLineSeparatorsAndDirectionOverridesAreEscaped() {
    assertThat(LogText.of("a\u2028b\u2029c\u202ed\u2066e\u0085f"))
        .isEqualTo("a\\u2028b\\u2029c\\u202ed\\u2066e\\u0085f");
  }

  @Test
  void longTextIsCutSayingHowMuchWasLeftOut() {
    String shown = LogText.of("a".repeat(LogText.MAX_CHARS) + "\n" + "b".repeat(99));

    assertThat(shown).isEqualTo("a".repeat(LogText.MAX_CHARS) + "… (100 more characters)");
    assertThat(LogText.of("\n".repeat(LogText.MAX_CHARS + 1)))
        .isEqualTo("\\n".repeat(LogText.MAX_CHARS) + "… (1 more character)");
  }
}
