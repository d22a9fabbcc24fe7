package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.rules.RuleSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detection.sigma}: Sigma rule directories whose files join the DRL sources the job runs. */
class SigmaConfigTest {

    private static final String SERVICES = """
            kafka:
              bootstrap-servers: kafka-1:9092
            elasticsearch:
              urls: [https://es-1:9200]
            """;

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

    private Path windows;
    private Path linux;

    @BeforeEach
    void rules() throws IOException {
        windows = Files.createDirectories(dir.resolve("sigma/windows"));
        Files.createDirectories(windows.resolve("process_creation/deep"));
        Files.writeString(windows.resolve("process_creation/proc_whoami.yml"), RULE);
        Files.writeString(windows.resolve("process_creation/deep/proc_net.yaml"), RULE);
        // not Sigma files: left out
        Files.writeString(windows.resolve("README.md"), "# rules");
        Files.writeString(windows.resolve("process_creation/proc_whoami.yml.bak"), RULE);
        Files.writeString(windows.resolve("process_creation/notes.json"), "{}");
        linux = Files.createDirectories(dir.resolve("sigma/linux"));
        Files.writeString(linux.resolve("lnx_shell.yml"), RULE);
        RuleDirs.ownerWritable(dir.resolve("sigma"));
    }

    private VigilConfig load(String yaml) throws IOException {
        Path f = dir.resolve("vigil.yaml");
        Files.writeString(f, yaml);
        return VigilConfig.load(f);
    }

    private static List<String> files(List<RuleSource> sources) {
        return sources.stream().map(RuleSource::file).toList();
    }

    @Test
    void theSigmaFilesOfEveryDirectoryFollowTheDrlRulesFoundRecursively() throws Exception {
        VigilConfig config = load(SERVICES + "detection:\n  sigma:\n    - " + windows + "\n    - " + linux + "\n");
        assertThat(config.sigmaDirs()).containsExactly(windows.toString(), linux.toString());

        List<RuleSource> sources = config.ruleSources();
        List<RuleSource> drl = RuleSource.packaged();
        assertThat(sources.subList(0, drl.size())).isEqualTo(drl);
        assertThat(files(sources.subList(drl.size(), sources.size()))).containsExactly(
                windows + "/process_creation/deep/proc_net.yaml",
                windows + "/process_creation/proc_whoami.yml",
                linux + "/lnx_shell.yml");
        assertThat(sources.subList(drl.size(), sources.size())).allSatisfy(s -> {
            assertThat(s.isSigma()).isTrue();
            assertThat(s.drl()).isEqualTo(RULE);
        });
    }

    @Test
    void withoutTheKeyOnlyTheDrlRulesRun() throws Exception {
        VigilConfig config = load(SERVICES);
        assertThat(config.sigmaDirs()).isEmpty();
        assertThat(config.ruleSources()).isEqualTo(RuleSource.packaged());
    }

    @Test
    void directoriesAddedByTheFlagComeAfterThoseOfTheKey() throws Exception {
        VigilConfig config = load(SERVICES + "detection:\n  sigma: [" + windows + "]\n");
        VigilConfig more = config.withSigmaDirs(List.of(linux.toString()));
        assertThat(more.sigmaDirs()).containsExactly(windows.toString(), linux.toString());
        assertThat(files(more.ruleSources())).endsWith(linux + "/lnx_shell.yml").contains(
                windows + "/process_creation/proc_whoami.yml");
        // the configuration read is left as it was
        assertThat(config.sigmaDirs()).containsExactly(windows.toString());
        assertThat(VigilConfig.of(Map.of(), "flags").withSigmaDirs(List.of(linux.toString())).sigmaDirs())
                .containsExactly(linux.toString());
    }

    @Test
    void aMissingDirectoryIsAnErrorNamingTheKey() throws Exception {
        Path missing = dir.resolve("nowhere");
        VigilConfig config = load(SERVICES + "detection:\n  sigma: [" + windows + ", " + missing + "]\n");
        assertThatThrownBy(config::ruleSources).isInstanceOf(IOException.class)
                .hasMessage("detection.sigma: no such directory: " + missing);
    }

    @Test
    void configCheckNamesEachBadDirectoryAndStillChecksWebhookRules() throws Exception {
        Path missing = dir.resolve("nowhere");
        Path file = Files.writeString(dir.resolve("rule.yml"), RULE);
        Path empty = RuleDirs.ownerWritable(Files.createDirectories(dir.resolve("empty")));
        Path f = dir.resolve("check.yaml");
        Files.writeString(f, SERVICES + "detection:\n  sigma: [" + missing + ", " + file + ", " + windows + "]\n"
                + "webhooks:\n  endpoints:\n    soar:\n      url: https://soar.example/h\n      secret-env: S\n"
                + "      rules: [ssh-brute-force, no-such-rule]\n");
        List<String> problems = ConfigCheck.check(f);
        assertThat(problems).contains("detection.sigma: no such directory: " + missing,
                "detection.sigma: not a directory: " + file);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(
                "webhooks.endpoints.soar.rules: no rule 'no-such-rule' in the rule pack shipped with Vigil"));
        assertThat(problems).hasSize(3);

        Files.writeString(f, SERVICES + "detection:\n  sigma: [" + empty + "]\n");
        assertThat(ConfigCheck.check(f)).containsExactly("detection.sigma: no Sigma files (*.yml, *.yaml) under "
                + empty);
        Files.writeString(f, SERVICES + "detection:\n  sigma: [" + windows + ", " + linux + "]\n");
        assertThat(ConfigCheck.check(f)).isEmpty();
    }
}
