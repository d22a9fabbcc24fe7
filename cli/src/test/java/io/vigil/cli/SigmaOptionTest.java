package io.vigil.cli;

import io.vigil.jobs.config.RuleDirs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.rules.RuleSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --sigma DIR} on replay and run: the Sigma files reach the rule sources, after the DRL ones. */
class SigmaOptionTest {

    private static final String RULE = """
            title: Whoami execution
            id: 5f1a0c3e-1111-4a2b-9c3d-000000000001
            logsource: {product: windows, category: process_creation}
            detection:
              selection: {Image|endswith: '\\\\whoami.exe'}
              condition: selection
            """;

    @TempDir
    Path dir;

    private Path a;
    private Path b;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void rules() throws IOException {
        a = Files.createDirectories(dir.resolve("a/nested"));
        Files.writeString(a.resolve("one.yml"), RULE);
        Files.writeString(a.resolve("ignored.txt"), RULE);
        a = a.getParent();
        b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(b.resolve("two.yaml"), RULE);
        RuleDirs.ownerWritable(dir.resolve("a"));
        RuleDirs.ownerWritable(b);
    }

    private int run(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static List<String> sigmaFiles(List<RuleSource> sources) {
        return sources.stream().filter(RuleSource::isSigma).map(RuleSource::file).toList();
    }

    @Test
    void replayRunsTheSigmaFilesOfEveryFlagAfterTheDrlRules() throws Exception {
        ReplayCommand replay = new ReplayCommand();
        new CommandLine(replay).parseArgs("--out", dir.resolve("out").toString(), "--sigma", a.toString(),
                "--sigma", b.toString(), "x.log");
        List<RuleSource> sources = replay.ruleSources();
        List<RuleSource> drl = RuleSource.packaged();
        assertThat(sources.subList(0, drl.size())).isEqualTo(drl);
        assertThat(sources.subList(drl.size(), sources.size())).extracting(RuleSource::file)
                .containsExactly(a + "/nested/one.yml", b + "/two.yaml");

        ReplayCommand without = new ReplayCommand();
        new CommandLine(without).parseArgs("--out", dir.resolve("out").toString(), "x.log");
        assertThat(without.ruleSources()).isEqualTo(drl);
    }

    @Test
    void replayWithAMissingSigmaDirectoryFailsNamingTheFlag() throws Exception {
        Path log = Files.writeString(dir.resolve("auth.log"), "Jun  1 10:00:00 host sshd[1]: hello\n");
        Path missing = dir.resolve("missing");
        assertThat(run("replay", "--quiet", "--out", dir.resolve("out").toString(), "--sigma", missing.toString(),
                log.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("vigil replay: --sigma: no such directory: " + missing);
        assertThat(run("replay", "--out", dir.resolve("out").toString(), "--no-detect", "--sigma", a.toString(),
                log.toString())).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("--sigma names rules to run: it cannot go with --no-detect");
    }

    @Test
    void runAddsTheFlagsDirectoriesToThoseOfDetectionSigma() throws Exception {
        Path config = Files.writeString(dir.resolve("vigil.yaml"), """
                kafka:
                  bootstrap-servers: kafka-1:9092
                elasticsearch:
                  urls: [https://es-1:9200]
                detection:
                  sigma: [%s]
                """.formatted(a));
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--config", config.toString(), "--sigma", b.toString());
        assertThat(run.configuration().sigmaDirs()).containsExactly(a.toString(), b.toString());
        assertThat(sigmaFiles(run.configuration().ruleSources()))
                .containsExactly(a + "/nested/one.yml", b + "/two.yaml");

        RunCommand plain = new RunCommand();
        new CommandLine(plain).parseArgs("--config", config.toString());
        assertThat(sigmaFiles(plain.configuration().ruleSources())).containsExactly(a + "/nested/one.yml");
    }

    @Test
    void runWithAMissingSigmaDirectoryFailsNamingTheFlagBeforeStartingAnything() throws Exception {
        Path config = Files.writeString(dir.resolve("vigil.yaml"),
                "kafka:\n  bootstrap-servers: kafka-1:9092\nelasticsearch:\n  urls: [https://es-1:9200]\n");
        Path missing = dir.resolve("missing");
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--config", config.toString(), "--sigma", missing.toString());
        assertThatThrownBy(run::configuration).isInstanceOf(IOException.class)
                .hasMessage("--sigma: no such directory: " + missing);
        assertThat(run("run", "--config", config.toString(), "--sigma", missing.toString()))
                .isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("vigil run: --sigma: no such directory: " + missing);
    }
}
