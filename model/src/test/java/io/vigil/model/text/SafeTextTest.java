package io.vigil.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void lineBreaksAndTabsGetTheirShortEscapes() {
        assertThat(SafeText.escape("alice\r\n12:00:00.000 INFO  fake - all clear\tok"))
                .isEqualTo("alice\\r\\n12:00:00.000 INFO  fake - all clear\\tok");
    }

    @Test
    void everyOtherControlIsAUnicodeEscape() {
        assertThat(SafeText.escape("\u0000\u0007\u0008\u000b\u000c\u001b[2J\u001f")).isEqualTo(
                "\\u0000\\u0007\\u0008\\u000b\\u000c\\u001b[2J\\u001f");
        // DEL, the C1 range (NEL, the one-character CSI) and its ends
        assertThat(SafeText.escape("\u007f\u0080\u0085\u009b31m\u009f")).isEqualTo(
                "\\u007f\\u0080\\u0085\\u009b31m\\u009f");
        // an OSC title change and an OSC 8 hyperlink, ended by BEL and by ST
        assertThat(SafeText.escape("\u001b]0;pwned\u0007\u001b]8;;http://evil/\u001b\\x"))
                .isEqualTo("\\u001b]0;pwned\\u0007\\u001b]8;;http://evil/\\u001b\\x");
    }

    @Test
    void lineSeparatorsAndBidiControlsAreEscaped() {
        assertThat(SafeText.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
        for (char c = '\u202a'; c <= '\u202e'; c++) {
            assertThat(SafeText.escape("x" + c)).isEqualTo(String.format("x\\u%04x", (int) c));
        }
        for (char c = '\u2066'; c <= '\u2069'; c++) {
            assertThat(SafeText.escape("x" + c)).isEqualTo(String.format("x\\u%04x", (int) c));
        }
        assertThat(SafeText.escape("\u200e\u200f\u061c")).isEqualTo("\\u200e\\u200f\\u061c");
    }

    @Test
    void printableTextIsKeptAsItIs() {
        String text = "C:\\Users\\bob é ü 日本 😀 \u00a0 \u00ff \u2027 \u202f \u2065 \u206a ~ DEL-free";
        assertThat(SafeText.escape(text)).isSameAs(text);
        assertThat(SafeText.escape(null)).isNull();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String escaped = SafeText.escape(String.valueOf(c));
            assertThat(escaped.chars().anyMatch(ch -> SafeText.isEscaped((char) ch))).isFalse();
        }
    }

    @Test
    void boundedCutsLongTextAndSaysHowMuchWasLeftOut() {
        assertThat(SafeText.bounded("short\n", 10)).isEqualTo("short\\n");
        assertThat(SafeText.bounded("0123456789\nabc", 10)).isEqualTo("0123456789... (4 more chars)");
        assertThat(SafeText.bounded("\u001b".repeat(100_000), 3))
                .isEqualTo("\\u001b\\u001b\\u001b... (99997 more chars)");
        // a surrogate pair is never cut in half
        assertThat(SafeText.bounded("ab😀cd", 3)).isEqualTo("ab... (4 more chars)");
        assertThat(SafeText.bounded(null, 3)).isNull();
        assertThatThrownBy(() -> SafeText.bounded("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void escapeFromLeavesWhatCameBeforeAlone() {
        StringBuilder b = new StringBuilder("12:00 WARN x - \t");
        int from = b.length();
        b.append("user\r\nforged\u001b[8m");
        SafeText.escapeFrom(b, from);
        assertThat(b).hasToString("12:00 WARN x - \tuser\\r\\nforged\\u001b[8m");
        StringBuilder clean = new StringBuilder("nothing to do");
        SafeText.escapeFrom(clean, 0);
        assertThat(clean).hasToString("nothing to do");
    }
}
