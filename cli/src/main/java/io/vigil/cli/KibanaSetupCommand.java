package io.vigil.cli;

import io.vigil.cli.kibana.ImportError;
import io.vigil.cli.kibana.ImportResult;
import io.vigil.cli.kibana.KibanaCredentials;
import io.vigil.cli.kibana.KibanaException;
import io.vigil.cli.kibana.KibanaImporter;
import io.vigil.cli.kibana.VigilSavedObjects;
import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil setup kibana}: import Vigil's data views, visualizations, saved search and SOC dashboard into Kibana. */
@Command(name = "kibana", mixinStandardHelpOptions = true,
        description = {"Import Vigil's Kibana saved objects (overwriting earlier imports): data views "
                + "vigil-alerts-*, vigil-incidents*, vigil-timeline-*, vigil-deliveries-*, their Lens "
                + "visualizations, the 'Vigil webhook deliveries' search and the 'Vigil SOC' dashboard.",
            "Secrets come from environment variables only: the options name the variables."})
public final class KibanaSetupCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "Kibana's URL, e.g. http://localhost:5601 (with its base path, if any).")
    String url;

    @Option(names = "--space", paramLabel = "ID", description = "Kibana space to import into (default: the default space).")
    String space;

    @Option(names = "--api-key-env", paramLabel = "VAR",
            description = "Environment variable holding an API key (sent as 'Authorization: ApiKey <key>').")
    String apiKeyEnv;

    @Option(names = "--username-env", paramLabel = "VAR", description = "Environment variable holding the user name.")
    String usernameEnv;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password.")
    String passwordEnv;

    /** Reads environment variables; tests replace it. */
    Function<String, String> environment = System::getenv;

    @Override
    public Integer call() {
        URI kibana = kibanaUrl();
        KibanaCredentials credentials = credentials();
        if (space != null && !KibanaImporter.isSpaceId(space)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--space: not a Kibana space id: '" + space
                    + "' (lower-case letters, digits, _ and -)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] ndjson = VigilSavedObjects.ndjson();
        int total = VigilSavedObjects.count(ndjson);
        try {
            Optional<String> authorization = credentials.authorization(environment);
            KibanaImporter importer = new KibanaImporter(kibana, space, authorization, KibanaImporter.DEFAULT_TIMEOUT);
            ImportResult result = importer.importObjects(VigilSavedObjects.FILE_NAME, ndjson);
            if (!result.success()) {
                err.println("vigil setup kibana: Kibana at " + kibana + " imported " + result.successCount() + " of "
                        + total + " saved objects; it refused:");
                for (ImportError error : result.errors()) {
                    err.println("  " + SafeText.escape(error.describe()));
                }
                err.flush();
                return VigilCli.FAILURE;
            }
            out.println("imported " + result.successCount() + " of " + total + " saved objects into Kibana at " + kibana
                    + (space == null ? "" : " (space " + space + ")")
                    + ": data views vigil-alerts-*, vigil-incidents*, vigil-timeline-*, vigil-deliveries-*, "
                    + "the Vigil webhook deliveries search and the Vigil SOC dashboard");
            out.println("dashboard: " + KibanaImporter.appUrl(kibana, space,
                    "/app/dashboards#/view/" + VigilSavedObjects.DASHBOARD_ID));
            out.flush();
            return VigilCli.OK;
        } catch (KibanaException e) {
            err.println("vigil setup kibana: " + SafeText.escape(e.getMessage()));
            err.flush();
            return VigilCli.FAILURE;
        }
    }

    private URI kibanaUrl() {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new URISyntaxException(url, "expected http(s)://host[:port][/base-path]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url: not a Kibana URL: '" + url
                    + "' (expected e.g. http://localhost:5601)");
        }
    }

    private KibanaCredentials credentials() {
        try {
            return new KibanaCredentials(apiKeyEnv, usernameEnv, passwordEnv);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--api-key-env, --username-env, --password-env: " + e.getMessage());
        }
    }
}
