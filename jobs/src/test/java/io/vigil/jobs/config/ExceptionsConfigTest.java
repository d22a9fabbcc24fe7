package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.rules.exceptions.RuleExceptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detection.exceptions}: read with the configuration, so a bad file is a configuration error. */
class ExceptionsConfigTest {

    private static final String SERVICES = """
            kafka:
              bootstrap-servers: kafka-1:9092
            elasticsearch:
              urls: [https://es-1:9200]
            """;

    private static final String ENTRY = """
            - id: scanner
              rule: ssh-brute-force
              field: source.ip
              values: ["10.0.0.7"]
              reason: the scanner
              author: secops
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theFileIsReadWithTheConfigurationAndNoneWhenUnset() throws Exception {
        Path ex = write("ex.yml", ENTRY);
        VigilConfig c = VigilConfig.load(write("vigil.yaml", SERVICES + "detection:\n  exceptions: " + ex + "\n"));
        assertThat(c.exceptions()).isEqualTo(RuleExceptions.load(ex));
        assertThat(c.exceptions().entries()).extracting(e -> e.id()).containsExactly("scanner");
        assertThat(VigilConfig.load(write("plain.yaml", SERVICES)).exceptions()).isSameAs(RuleExceptions.NONE);
    }

    @Test
    void aBadOrMissingFileIsAProblemOfTheKeyInConfigCheck() throws Exception {
        Path bad = write("bad.yml", ENTRY.replace("source.ip", "src.ip"));
        Path yaml = write("vigil.yaml", SERVICES + "detection:\n  exceptions: " + bad + "\n");
        assertThat(ConfigCheck.check(yaml)).containsExactly("detection.exceptions: " + bad + ": entry 1 (scanner): "
                + "key 'field': 'src.ip' is not an ECS field Vigil reads (the fields of docs/formats.md and its "
                + "extra-field catalog)");
        Path missing = dir.resolve("missing.yml");
        assertThat(ConfigCheck.check(write("vigil2.yaml", SERVICES + "detection:\n  exceptions: " + missing + "\n")))
                .containsExactly("detection.exceptions: cannot read " + missing + " (NoSuchFileException)");
    }

    @Test
    void theRunFlagReplacesTheKeyAndIsCheckedAtOnce() throws Exception {
        Path first = write("first.yml", ENTRY);
        Path second = write("second.yml", ENTRY.replace("scanner", "auditor"));
        VigilConfig c = VigilConfig.load(write("vigil.yaml", SERVICES + "detection:\n  exceptions: " + first + "\n"))
                .withExceptionsFile(second.toString());
        assertThat(c.exceptions().entries()).extracting(e -> e.id()).containsExactly("auditor");
        Path bad = write("bad.yml", ENTRY.replace("reason: the scanner\n  ", ""));
        assertThatThrownBy(() -> c.withExceptionsFile(bad.toString()))
                .hasMessage("detection.exceptions: " + bad + ": entry 1 (scanner): key 'reason' is required");
    }
}
