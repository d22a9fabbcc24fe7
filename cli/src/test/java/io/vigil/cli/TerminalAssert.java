package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.text.SafeText;

/** What a command printed is safe for a terminal: its own line ends, and no other control character. */
public final class TerminalAssert {

    /**
     * A user name that forges a log line, clears the screen, sets the terminal title, starts a
     * C1 CSI sequence, reverses the text after it and breaks the line the Unicode way.
     */
    public static final String HOSTILE = "mallory\r\n12:00:00.000 INFO  fake - all clear\u001b[2J\u001b]0;pwned\u0007"
            + "\u009b31m\u202elanigiro\u2028end";

    /** The same, ASCII controls only: for file names, whatever the file system's encoding. */
    public static final String HOSTILE_ASCII = "mallory\r\n12:00:00.000 INFO  fake - all clear\u001b[2J\u001b]0;pwned\u0007";

    private TerminalAssert() {}

    /** No character {@link SafeText} escapes in {@code output} but the program's own {@code \n}. */
    public static void assertTerminalSafe(String output) {
        assertThat(output.chars().filter(c -> c != '\n' && SafeText.isEscaped((char) c)).mapToObj(Integer::toHexString))
                .as("raw control characters in:%n%s", output).isEmpty();
        assertThat(output.lines()).as("a forged line in:%n%s", output).noneMatch(l -> l.startsWith("12:00:00.000 INFO"));
    }
}
