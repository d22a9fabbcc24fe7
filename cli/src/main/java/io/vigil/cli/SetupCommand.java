package io.vigil.cli;

import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.jobs.wiring.Connections;
import io.vigil.jobs.wiring.ElasticsearchAccess;
import io.vigil.model.text.SafeText;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil setup}: install what Vigil needs in Elasticsearch ({@code setup kibana}: in Kibana). */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Install (or update) Vigil's Elasticsearch index templates: vigil-alerts-*, "
                + "vigil-dead-letters-*, vigil-events-*, vigil-incidents, vigil-timeline-*, vigil-deliveries-*, "
                + "vigil-audit-*, vigil-shadow-alerts-*, vigil-rules. Idempotent; the job also does it at start. The cluster: --config FILE or --es URL.",
            "'vigil setup kibana --url URL' imports the data views, the webhook deliveries search and the SOC "
                + "dashboard into Kibana."},
        subcommands = KibanaSetupCommand.class)
public final class SetupCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // not required by picocli: 'setup kibana' needs neither
    @CommandLine.Mixin
    ElasticsearchOptions es = new ElasticsearchOptions();

    /** Where the Elasticsearch variables are read (tests give their own). */
    Function<String, String> getenv = System::getenv;

    @Override
    public Integer call() throws Exception {
        if (!es.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option: '--config=FILE' (or --es URL)");
        }
        ElasticsearchAccess access = es.access(getenv);
        access.check();
        Connections.installTemplates(access);
        spec.commandLine().getOut().println("installed index templates " + IndexTemplates.ALL + " on "
                + SafeText.escape(String.valueOf(access.connection().urls())));
        spec.commandLine().getOut().flush();
        return VigilCli.OK;
    }
}
