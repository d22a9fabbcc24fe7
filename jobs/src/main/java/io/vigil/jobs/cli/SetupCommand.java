package io.vigil.jobs.cli;

import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.stream.StreamingMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil setup}: install what Vigil needs in Elasticsearch. */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = "Install (or update) Vigil's Elasticsearch index templates: vigil-alerts-*, "
                + "vigil-dead-letters-*, vigil-events-*. Idempotent; the job also does it at start.")
public final class SetupCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Configuration file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        VigilConfig c = VigilConfig.load(config);
        StreamingMain.installTemplates(StreamingMain.elasticsearch(c));
        spec.commandLine().getOut().println("installed index templates " + IndexTemplates.ALL + " on "
                + StreamingMain.elasticsearch(c).urls());
        spec.commandLine().getOut().flush();
        return VigilCli.OK;
    }
}
