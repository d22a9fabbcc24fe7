package io.vigil.jobs.cli;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.stream.StreamingMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil run}: the streaming job on this machine. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run Vigil's streaming job on this machine (an embedded Flink cluster): raw records from the "
                + "Kafka topics of the configuration are decoded and correlated; alerts go to Elasticsearch "
                + "(vigil-alerts-*) and to the alerts topic, dead letters to vigil-dead-letters-* and the "
                + "dead-letter topic. Index templates are installed first. Checkpoints go to checkpoints.dir; "
                + "a restart resumes from the latest one. Stops with Ctrl-C.",
            "On a Flink cluster, submit the job jar instead (see the README)."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Configuration file (see deploy/vigil.yaml and `vigil config`).")
    Path config;

    @Override
    public Integer call() throws Exception {
        StreamingMain.run(VigilConfig.load(config));
        return VigilCli.OK;
    }
}
