package io.vigil.cli;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.stream.Checkpoints;
import io.vigil.jobs.stream.StreamingMain;
import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil run}: the streaming job on this machine. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run Vigil's streaming job on this machine (an embedded Flink cluster): raw records from the "
                + "Kafka topics of the configuration are decoded and correlated; alerts go to Elasticsearch "
                + "(vigil-alerts-*) and to the alerts topic, dead letters to vigil-dead-letters-* and the "
                + "dead-letter topic. Index templates are installed first. Stops with Ctrl-C.",
            "Checkpoints go to checkpoints.dir and are kept when the job stops; the job resumes from the newest "
                + "one there (correlation state and Kafka offsets), or from the consumer group's committed offsets "
                + "when there is none.",
            "On a Flink cluster, submit the job jar instead (see docs/deployment.md)."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Configuration file (see deploy/vigil.yaml and `vigil config`).")
    Path config;

    @Option(names = "--restore", paramLabel = "DIR",
            description = "Resume from this checkpoint or savepoint directory instead of the newest in checkpoints.dir.")
    String restore;

    @Option(names = "--fresh",
            description = "Ignore the checkpoints: start with empty correlation state from the committed Kafka offsets.")
    boolean fresh;

    @CommandLine.Mixin
    SigmaOption sigma;

    @Option(names = "--exceptions", paramLabel = "FILE",
            description = "Exceptions file (docs/rule-lifecycle.md#exceptions): hits it covers are counted per entry, "
                    + "never alerted. Replaces detection.exceptions of the configuration.")
    Path exceptions;

    @CommandLine.Mixin
    ContextOptions context = new ContextOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (fresh && restore != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fresh and --restore exclude each other");
        }
        VigilConfig c = configuration();
        String from = restore;
        if (from == null && !fresh) {
            from = Checkpoints.latest(c.get(VigilOptions.CHECKPOINT_DIR)).map(Path::toString).orElse(null);
        }
        if (from != null) {
            spec.commandLine().getErr().println("resuming from " + SafeText.escape(from));
        }
        // credentials that would travel in clear, secrets this machine lacks (docs/security.md); the job logs them too
        List<String> warnings;
        try {
            // the job runs in this process: a secret it cannot read is the job's error below, not a warning
            StreamingMain.checkSecretsHere(c, io.vigil.jobs.wiring.Connections.kafka(c), System::getenv);
            warnings = io.vigil.jobs.wiring.TransportSecurity.warnings(c, System::getenv);
        } catch (IllegalArgumentException invalid) {
            warnings = List.of(); // the job's own checks refuse the configuration, with every problem named
        }
        for (String w : warnings) {
            spec.commandLine().getErr().println("warning: " + SafeText.escape(w));
        }
        StreamingMain.run(c, from);
        return VigilCli.OK;
    }

    /**
     * The configuration file's, with the directories of --sigma after those of detection.sigma;
     * a bad --sigma directory is an error naming the flag.
     */
    VigilConfig configuration() throws IOException {
        List<String> problems = sigma.problems();
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
        VigilConfig c = VigilConfig.load(config).withSigmaDirs(sigma.dirs());
        if (exceptions != null) {
            try {
                c = c.withExceptionsFile(exceptions.toString());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--exceptions: " + e.getMessage());
            }
        }
        if (context.given()) {
            c = c.withContextFiles(context.intel, context.geoip, context.assets, context.identities);
        }
        return c;
    }
}
