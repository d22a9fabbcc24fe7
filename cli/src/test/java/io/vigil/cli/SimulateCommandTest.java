package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil simulate}: options, exit codes and the files it writes. */
class SimulateCommandTest {

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private int simulate(Path to, String... more) {
        String[] base = {"simulate", "--to", "file", "--out", to.toString(), "--seed", "5", "--rate", "100",
            "--start", "2024-11-20T08:00:00Z", "--attack-every", "100"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return run(args);
    }

    @Test
    void writesOneFilePerFormatAndPrintsTheCounts() throws Exception {
        // quiet: on a loaded machine writing takes over 5 s and a progress line is due
        assertThat(simulate(dir.resolve("a"), "--count", "20000", "--quiet")).isZero();
        assertThat(err.toString()).isEmpty();
        List<String> auth = Files.readAllLines(dir.resolve("a/auth.log"));
        List<String> security = Files.readAllLines(dir.resolve("a/security.json"));
        List<String> access = Files.readAllLines(dir.resolve("a/access.log"));
        assertThat(auth.size() + security.size() + access.size()).isEqualTo(20_000);
        assertThat(auth.get(0)).startsWith("Nov 20 08:00:");
        assertThat(security.get(0)).startsWith("{\"EventTime\":\"2024-11-20 08:00:");
        assertThat(access.get(0)).contains("[20/Nov/2024:08:00:");
        String printed = out.toString();
        assertThat(printed).contains("Wrote 20,000 records")
                .contains("syslog " + String.format("%,d", auth.size()))
                .contains("windows " + String.format("%,d", security.size()))
                .contains("access " + String.format("%,d", access.size()))
                .contains("attack scenario(s) injected: ssh-brute-force-then-success ")
                .contains("web-attack ")
                .contains("Event time 2024-11-20T08:00:00Z .. 2024-11-20T08:03:19.990Z");
        // the file times are the last record's, so a replay puts the syslog lines in 2024
        assertThat(Files.getLastModifiedTime(dir.resolve("a/auth.log")).toInstant())
                .isBetween(Instant.parse("2024-11-20T08:03:00Z"), Instant.parse("2024-11-20T08:03:20Z"));

        // same options, same bytes; --duration is rate × duration records
        assertThat(simulate(dir.resolve("b"), "--duration", "200s")).isZero();
        for (String f : new String[] {"auth.log", "security.json", "access.log"}) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(f))).isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(f)));
        }
    }

    @Test
    void benignOnly() throws Exception {
        assertThat(run("simulate", "--out", dir.toString(), "--count", "1000", "--attack-every", "0", "--seed", "5"))
                .isZero();
        assertThat(out.toString()).contains("Wrote 1,000 records").contains("0 attack scenario(s) injected");
    }

    @Test
    void helpDocumentsEveryOption() {
        assertThat(run("simulate", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: vigil simulate")
                .contains("--rate=N", "--duration=DURATION", "--count=N", "--seed=S", "--start=INSTANT",
                        "--attack-every=N", "--to=file|kafka", "--out=DIR", "--bootstrap=HOST:PORT",
                        "--topic-prefix=PREFIX");
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(run("simulate", "--to", "file")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("--to file needs --out DIR");
        assertThat(run("simulate", "--to", "kafka")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("--to kafka needs --bootstrap");
        assertThat(run("simulate", "--to", "s3", "--out", dir.toString())).isEqualTo(VigilCli.USAGE);
        assertThat(run("simulate", "--out", dir.toString(), "--count", "5", "--duration", "5s")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("not both");
        assertThat(run("simulate", "--out", dir.toString(), "--rate", "0")).isEqualTo(VigilCli.USAGE);
        assertThat(run("simulate", "--out", dir.toString(), "--duration", "soon")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("not a duration");
        assertThat(run("simulate", "--out", dir.toString(), "--start", "yesterday")).isEqualTo(VigilCli.USAGE);
        assertThat(run("simulate", "--out", dir.toString(), "--attack-every", "-1")).isEqualTo(VigilCli.USAGE);
    }

    @Test
    void anUnwritableOutputFailsWithOne() throws Exception {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        assertThat(run("simulate", "--out", file.toString(), "--count", "10")).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).startsWith("vigil simulate: ").doesNotContain("Exception");
    }
}
