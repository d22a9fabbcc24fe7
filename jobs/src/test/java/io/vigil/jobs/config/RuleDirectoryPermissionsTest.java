package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detection.rules} and {@code detection.sigma} refuse a directory others than its owner can
 * write to (the directory, one below it, or a file in it), naming the path and the fix, in the
 * job's configuration and in {@code vigil config --check}.
 */
class RuleDirectoryPermissionsTest {

    private static final String SERVICES = """
            kafka:
              bootstrap-servers: kafka-1:9092
            elasticsearch:
              urls: [https://es-1:9200]
            """;

    private static final String DRL = """
            package site.rules;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            rule "payroll-export"
                @name("Payroll export") @description("the payroll table exported") @severity("high") @riskScore(73)
                @tactics("TA0010") @techniques("T1567") @shape("single") @groupBy("user.name") @suppress("10m")
            when
                $e : SecurityEvent(eventAction == "payroll-export")
            then
                insert(new Signal($e));
            end
            """;

    private static final String SIGMA = """
            title: Whoami Run
            id: 5f8b7c0e-3d1a-4b2c-9e4f-0a1b2c3d4e5f
            logsource: {product: windows, category: process_creation}
            detection: {selection: {Image|endswith: '\\\\whoami.exe'}, condition: selection}
            level: low
            """;

    @TempDir
    Path tmp;

    private Path drl;
    private Path sigma;

    private static void mode(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    @BeforeEach
    void ownerWritableDirectories() throws Exception {
        drl = Files.createDirectories(tmp.resolve("drl/site"));
        Files.writeString(drl.resolve("payroll.drl"), DRL);
        mode(drl.resolve("payroll.drl"), "rw-r--r--");
        mode(drl, "rwxr-xr-x");
        drl = tmp.resolve("drl");
        mode(drl, "rwxr-xr-x");
        sigma = Files.createDirectories(tmp.resolve("sigma"));
        Files.writeString(sigma.resolve("whoami.yml"), SIGMA);
        mode(sigma.resolve("whoami.yml"), "rw-r--r--");
        mode(sigma, "rwxr-xr-x");
    }

    private VigilConfig config(Path rules, Path sigmaDir) throws Exception {
        Path f = tmp.resolve("vigil.yaml");
        Files.writeString(f, SERVICES + "detection:\n  rules: " + rules + "\n  sigma: [" + sigmaDir + "]\n");
        return VigilConfig.load(f);
    }

    private List<String> check(Path rules, Path sigmaDir) throws Exception {
        config(rules, sigmaDir);
        return ConfigCheck.check(tmp.resolve("vigil.yaml"));
    }

    @Test
    void ownerWritableDirectoriesAreRead() throws Exception {
        assertThat(config(drl, sigma).ruleSources()).hasSize(2);
        assertThat(check(drl, sigma)).isEmpty();
    }

    @Test
    void aGroupWritableRulesDirectoryIsRefusedNamingItAndTheFix() throws Exception {
        mode(drl, "rwxrwxr-x");
        String expected = "detection.rules: " + drl + " is group-writable (rwxrwxr-x): others could change the rules "
                + "the job runs; fix: chmod -R go-w " + drl;
        assertThatThrownBy(() -> config(drl, sigma).ruleSources()).isInstanceOf(IOException.class).hasMessage(expected);
        assertThat(check(drl, sigma)).containsExactly(expected);
    }

    @Test
    void aWorldWritableFileBelowIsRefused() throws Exception {
        Path file = drl.resolve("site/payroll.drl");
        mode(file, "rw-rw-rw-");
        assertThatThrownBy(() -> config(drl, sigma).drlSources()).isInstanceOf(IOException.class)
                .hasMessageContaining(file + " is world-writable (rw-rw-rw-)")
                .hasMessageContaining("chmod -R go-w " + drl);
    }

    @Test
    void aGroupWritableDirectoryBelowASigmaDirectoryIsRefused() throws Exception {
        Path below = Files.createDirectories(sigma.resolve("linux"));
        mode(below, "rwxrwx---");
        String expected = "detection.sigma: " + below + " is group-writable (rwxrwx---): others could change the rules "
                + "the job runs; fix: chmod -R go-w " + sigma;
        assertThat(SigmaDirectories.problems(List.of(sigma.toString()), "detection.sigma")).containsExactly(expected);
        assertThatThrownBy(() -> config(drl, sigma).ruleSources()).hasMessage(expected);
        assertThat(check(drl, sigma)).containsExactly(expected);
    }
}
