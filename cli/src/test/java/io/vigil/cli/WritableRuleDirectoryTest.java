package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --rules} and {@code --sigma} refuse a directory others than its owner can write to. */
class WritableRuleDirectoryTest {

    private static final String DRL = """
            package mine.rules;
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

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    private Path rules(String dirMode, String fileMode) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rules"));
        Path file = Files.writeString(dir.resolve("payroll.drl"), DRL);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(fileMode));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(dirMode));
        return dir;
    }

    @Test
    void anOwnerWritableRulesDirectoryIsRead() throws Exception {
        Path dir = rules("rwx------", "rw-r--r--");
        assertThat(vigil("rules", "list", "--rules", dir.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("payroll-export");
    }

    @Test
    void aGroupWritableRulesDirectoryIsRefused() throws Exception {
        Path dir = rules("rwxrwxr-x", "rw-r--r--");
        assertThat(vigil("rules", "list", "--rules", dir.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("vigil list: --rules: " + dir + " is group-writable (rwxrwxr-x)")
                .contains("fix: chmod -R go-w " + dir);
    }

    @Test
    void aWorldWritableRuleFileIsRefused() throws Exception {
        Path dir = rules("rwxr-xr-x", "rw-rw-rw-");
        assertThat(vigil("replay", "--quiet", "--out", tmp.resolve("out").toString(), "--rules", dir.toString(),
                tmp.resolve("none.log").toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("--rules: " + dir.resolve("payroll.drl") + " is world-writable");
    }

    @Test
    void aGroupWritableSigmaDirectoryIsRefused() throws Exception {
        Path sigma = Files.createDirectories(tmp.resolve("sigma"));
        Files.writeString(sigma.resolve("whoami.yml"), """
                title: Whoami Run
                id: 5f8b7c0e-3d1a-4b2c-9e4f-0a1b2c3d4e5f
                logsource: {product: windows, category: process_creation}
                detection: {selection: {Image|endswith: '\\\\whoami.exe'}, condition: selection}
                level: low
                """);
        Files.setPosixFilePermissions(sigma.resolve("whoami.yml"), PosixFilePermissions.fromString("rw-rw-r--"));
        Files.setPosixFilePermissions(sigma, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(vigil("replay", "--quiet", "--out", tmp.resolve("out").toString(), "--sigma", sigma.toString(),
                tmp.resolve("none.log").toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("--sigma: " + sigma.resolve("whoami.yml") + " is group-writable")
                .contains("chmod -R go-w " + sigma);
    }
}
