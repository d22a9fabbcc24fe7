package io.vigil.cli;

import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.connectors.elasticsearch.LifecyclePolicies;
import io.vigil.jobs.wiring.Connections;
import io.vigil.jobs.wiring.ElasticsearchAccess;
import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil setup}: install what Vigil needs in Elasticsearch ({@code setup kibana}: in Kibana). */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Install (or update) Vigil's Elasticsearch index templates: vigil-alerts-*, "
                + "vigil-dead-letters-*, vigil-events-*, vigil-incidents, vigil-timeline-*, vigil-deliveries-*, "
                + "vigil-audit-*, vigil-shadow-alerts-*, vigil-rules, and, where the cluster has index lifecycle management, the retention policies of the daily indices (docs/retention.md; reported as skipped otherwise). Idempotent; the job also installs the templates at start. The cluster: --config FILE or --es URL.",
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
        var out = spec.commandLine().getOut();
        out.println("installed index templates " + IndexTemplates.ALL + " on "
                + SafeText.escape(String.valueOf(access.connection().urls())));
        LifecyclePolicies.Outcome retention;
        try (RestClient rest = access.restClient()) {
            retention = LifecyclePolicies.install(rest);
        } catch (IOException e) {
            throw access.explain(e);
        }
        if (retention.skipped() != null) {
            out.println("lifecycle policies skipped: " + SafeText.escape(retention.skipped())
                    + "; indices are kept until deleted by hand (docs/retention.md)");
        } else {
            out.println("installed lifecycle policies: " + String.join(", ", retention.installed()));
        }
        out.flush();
        return VigilCli.OK;
    }
}
