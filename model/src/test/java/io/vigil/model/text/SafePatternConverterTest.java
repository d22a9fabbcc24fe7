package io.vigil.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;

/** {@code %safe{...}} as Log4j finds it: through the plugin cache this module's build writes. */
class SafePatternConverterTest {

    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %c{1} - %safe{%msg%ex}%n";

    private static String render(String pattern, LogEvent event) {
        PatternLayout layout = PatternLayout.newBuilder().withPattern(pattern)
                .withConfiguration(new DefaultConfiguration()).build();
        return layout.toSerializable(event);
    }

    private static LogEvent event(String format, Object arg, Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName("io.vigil.Test").setLevel(Level.WARN).setTimeMillis(0)
                .setMessage(new ParameterizedMessage(format, arg)).setThrown(thrown).build();
    }

    /** The rendered event without its final line end. */
    private static String oneLine(String rendered) {
        assertThat(rendered).endsWith(System.lineSeparator());
        String line = rendered.substring(0, rendered.length() - System.lineSeparator().length());
        assertThat(line.chars().filter(c -> SafeText.isEscaped((char) c))).as(line).isEmpty();
        return line;
    }

    @Test
    void aForgedLogLineInAnArgumentStaysOnTheLineOfItsEvent() {
        String line = oneLine(render(PATTERN, event("failed login for {}",
                "alice\n00:00:00.000 INFO  Auth - all clear", null)));
        assertThat(line).endsWith(" WARN  Test - failed login for alice\\n00:00:00.000 INFO  Auth - all clear");
    }

    @Test
    void cardNumbersAndSecretsInMessagesAndExceptionsAreMasked() {
        Exception e = new IllegalArgumentException("bad record 'pay 5555 5555 5555 4444 token=abc123'");
        String line = oneLine(render(PATTERN, event("refused {}", "GET /x?password=Hunter2!&pan=4111111111111111", e)));
        assertThat(line).contains("refused GET /x?password=[masked]&pan=411111******1111")
                .contains("bad record 'pay 5555 55** **** 4444 token=[masked]'")
                .doesNotContain("Hunter2!").doesNotContain("4111111111111111").doesNotContain("abc123");
    }

    @Test
    void everyClassOfControlCharacterIsEscaped() {
        String hostile = "cr\r lf\n tab\t nul\u0000 esc\u001b[2J osc\u001b]0;pwned\u0007 del\u007f nel\u0085 csi\u009b31m"
                + " ls\u2028 ps\u2029 rlo\u202e lri\u2066 pdi\u2069 rlm\u200f";
        String line = oneLine(render(PATTERN, event("user {}", hostile, null)));
        assertThat(line).endsWith("user cr\\r lf\\n tab\\t nul\\u0000 esc\\u001b[2J osc\\u001b]0;pwned\\u0007"
                + " del\\u007f nel\\u0085 csi\\u009b31m ls\\u2028 ps\\u2029 rlo\\u202e lri\\u2066 pdi\\u2069 rlm\\u200f");
    }

    @Test
    void anExceptionWithControlsInItsMessageComesOutOnTheSameLineEscaped() {
        Exception cause = new IllegalStateException("nested\r\n\u001b[31mred");
        Exception e = new IOException("invalid JSON near 'x\n12:00:00.000 INFO  fake - all clear\u001b]0;t\u0007'", cause);
        String line = oneLine(render(PATTERN, event("decode failed for {}", "record 7", e)));
        assertThat(line).contains("decode failed for record 7")
                .contains("java.io.IOException: invalid JSON near 'x\\n12:00:00.000 INFO  fake - all clear\\u001b]0;t\\u0007'")
                .contains("\\n\\tat io.vigil.model.text.SafePatternConverterTest")
                .contains("Caused by: java.lang.IllegalStateException: nested\\r\\n\\u001b[31mred");
        // the stack trace's own last line end is not kept as a trailing escape
        assertThat(line).endsWith("more");
        // written once: the layout does not append the throwable again behind %safe
        assertThat(line.split("java.io.IOException: invalid JSON", -1)).hasSize(2);
    }

    @Test
    void withoutTheThrowableInsideTheLayoutWouldAddItRaw() {
        // why the configurations write %safe{%m%ex}: a bare %safe{%m} leaves the stack trace to the layout
        String rendered = render("%safe{%m}%n", event("x {}", "y", new IOException("boom\nforged")));
        assertThat(rendered).contains("boom\nforged");
    }

    @Test
    void cleanEventsAreRenderedUnchanged() {
        assertThat(render("%safe{%m}%n", event("replay of {} done", "C:\\logs\\auth.log", null)))
                .isEqualTo("replay of C:\\logs\\auth.log done" + System.lineSeparator());
    }
}
