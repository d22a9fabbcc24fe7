package io.vigil.cli;

import io.vigil.jobs.wiring.Connections;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.model.text.SafeText;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil setup}: install what Vigil needs in Elasticsearch ({@code setup kibana}: in Kibana). */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Install (or update) Vigil's Elasticsearch index templates: vigil-alerts-*, "
                + "vigil-dead-letters-*, vigil-events-*, vigil-incidents, vigil-timeline-*, vigil-deliveries-*. "
                + "Idempotent; the job also does it at start.",
            "'vigil setup kibana --url URL' imports the data views, the webhook deliveries search and the SOC "
                + "dashboard into Kibana."},
        subcommands = KibanaSetupCommand.class)
public final class SetupCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // not required by picocli: 'setup kibana' has no configuration file
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (required unless a subcommand is given).")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
        }
        VigilConfig c = VigilConfig.load(config);
        Connections.installTemplates(Connections.elasticsearch(c));
        spec.commandLine().getOut().println("installed index templates " + IndexTemplates.ALL + " on "
                + SafeText.escape(String.valueOf(Connections.elasticsearch(c).urls())));
        spec.commandLine().getOut().flush();
        return VigilCli.OK;
    }
}
