package io.vigil.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Log4j configuration of the repository (the command line's, each module's tests') writes a
 * log event holding CR, LF, terminal escapes and bidi controls, in its message and in an
 * exception's message, as one line with those characters escaped; so do the Flink cluster
 * patterns docs/hostile-input.md recommends, for what each claims to escape.
 */
class LoggingConfigurationTest {

    /** A user name forging a log line, clearing the screen, setting the title, reversing text. */
    static final String HOSTILE = "alice\r\n00:00:00.000 INFO  Auth - all clear\u001b[2J\u001b]0;pwned\u0007"
            + "\u009b8m\u202eevil\u2028\u007f";

    static Path root;

    @BeforeAll
    static void repository() {
        root = ComposeFileTest.repositoryRoot();
    }

    static LogEvent hostileEvent() {
        Exception cause = new IllegalStateException("cause of " + HOSTILE);
        return Log4jLogEvent.newBuilder().setLoggerName("io.vigil.jobs.Test").setLevel(Level.WARN)
                .setTimeMillis(0).setMessage(new ParameterizedMessage("failed login for {}", HOSTILE))
                .setThrown(new IOException("invalid JSON near '" + HOSTILE + "'", cause)).build();
    }

    static List<Path> configurations() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src"))).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src"))) {
                    files.filter(f -> f.getFileName().toString().matches("log4j2.*\\.properties")).forEach(found::add);
                }
            }
        }
        return found;
    }

    /** The layout of the console appender of a configuration file, as Log4j builds it. */
    static Layout<?> consoleLayout(Path file) throws IOException {
        ConfigurationSource source = ConfigurationSource.fromUri(file.toUri());
        Configuration config = new PropertiesConfigurationFactory().getConfiguration(new LoggerContext(file.toString()),
                source);
        config.initialize();
        return ((AbstractAppender) config.getAppender("stderr")).getLayout();
    }

    @Test
    void everyConfigurationWritesAHostileEventAsOneEscapedLine() throws IOException {
        List<Path> files = configurations();
        // the command line's, and the tests' of model, formats, rules, connectors and jobs
        assertThat(files).extracting(f -> root.relativize(f).toString()).contains(
                "cli/src/main/resources/log4j2.properties", "jobs/src/test/resources/log4j2-test.properties",
                "cli/src/test/resources/log4j2-test.properties",
                "model/src/test/resources/log4j2-test.properties", "formats/src/test/resources/log4j2-test.properties",
                "rules/src/test/resources/log4j2-test.properties",
                "connectors/src/test/resources/log4j2-test.properties");
        for (Path file : files) {
            String rendered = new String(consoleLayout(file).toByteArray(hostileEvent()), StandardCharsets.UTF_8);
            String line = rendered.substring(0, rendered.length() - System.lineSeparator().length());
            assertThat(rendered).as(file.toString()).endsWith(System.lineSeparator());
            assertThat(line.chars().filter(c -> SafeText.isEscaped((char) c))).as(file + ": " + line).isEmpty();
            assertThat(line).as(file.toString())
                    .contains("failed login for " + SafeText.escape(HOSTILE))
                    .contains("java.io.IOException: invalid JSON near '" + SafeText.escape(HOSTILE) + "'")
                    .contains("Caused by: java.lang.IllegalStateException: cause of " + SafeText.escape(HOSTILE));
        }
    }

    /** The {@code layout.pattern} lines of the "Output safety" section of docs/hostile-input.md. */
    static List<String> docsClusterPatterns() throws IOException {
        String page = Files.readString(root.resolve("docs/hostile-input.md"), StandardCharsets.UTF_8);
        int section = page.indexOf("## Output safety");
        assertThat(section).as("docs/hostile-input.md section 'Output safety'").isNotNegative();
        int end = page.indexOf("\n## ", section + 1);
        List<String> patterns = new ArrayList<>();
        for (String l : page.substring(section, end < 0 ? page.length() : end).split("\n")) {
            if (l.startsWith("appender.main.layout.pattern")) {
                patterns.add(l.substring(l.indexOf('=') + 1).strip());
            }
        }
        return patterns;
    }

    @Test
    void theClusterPatternsOfTheDocsKeepOneEventOnOneLine() throws IOException {
        List<String> patterns = docsClusterPatterns();
        assertThat(patterns).hasSize(2);
        for (String pattern : patterns) {
            String rendered = PatternLayout.newBuilder().withPattern(pattern)
                    .withConfiguration(new DefaultConfiguration()).build().toSerializable(hostileEvent());
            String line = rendered.substring(0, rendered.length() - System.lineSeparator().length());
            assertThat(line).as(pattern).doesNotContain("\r", "\n").contains("failed login for alice\\r\\n00:00:00.000")
                    .contains("Caused by: java.lang.IllegalStateException: cause of alice\\r\\n");
            if (pattern.contains("%safe")) {
                assertThat(line.chars().filter(c -> SafeText.isEscaped((char) c))).as(line).isEmpty();
            } else {
                // Log4j's JSON encoding: every C0 control (ESC included), not C1 or bidi controls
                assertThat(line.chars().filter(c -> c < 0x20)).as(line).isEmpty();
                assertThat(line).contains("\\u001B[2J");
            }
        }
    }
}
