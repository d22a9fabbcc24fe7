package io.vigil.cli;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.live.ControlTopic;
import io.vigil.jobs.wiring.Connections;
import io.vigil.jobs.wiring.ElasticsearchAccess;
import io.vigil.rules.bundle.BundleException;
import io.vigil.rules.bundle.BundleKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine.Option;

/**
 * The configuration the live-rules commands ({@code vigil rules push}, {@code status}, …) share
 * with the job: its Kafka cluster and control topic, its public key, its Elasticsearch. The same
 * file the job runs with, so the commands write where the job reads.
 */
final class LiveRulesConfig {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The job's configuration: kafka.* and rules.control-topic (where records are written), "
                    + "rules.public-key (what bundles are checked against), elasticsearch.* (where the job reports).")
    Path file;

    private VigilConfig config;

    VigilConfig config() throws IOException {
        if (config == null) {
            config = VigilConfig.load(file);
        }
        return config;
    }

    ControlTopic controlTopic() throws IOException {
        return new ControlTopic(Connections.kafka(config()), config().get(VigilOptions.RULES_CONTROL_TOPIC),
                System::getenv);
    }

    /** The key the job checks bundles with: without it the job does not read the topic at all. */
    PublicKey publicKey() throws IOException, BundleException {
        String key = config().get(VigilOptions.RULES_PUBLIC_KEY);
        if (key == null) {
            throw new IllegalArgumentException(file + " sets no rules.public-key: the job would not read the "
                    + "control topic, so nothing pushed there would run");
        }
        return BundleKeys.publicKey(Path.of(key));
    }

    RestClient elasticsearch() throws IOException {
        return ElasticsearchAccess.of(config(), null, null, System::getenv).restClient();
    }

    /** When a record written now takes effect: {@code given}, else now + rules.activation-delay. */
    Instant effectiveAt(String given, Instant now) throws IOException {
        if (given == null) {
            return now.plus(config().get(VigilOptions.RULES_ACTIVATION_DELAY));
        }
        try {
            return given.endsWith("Z") ? Instant.parse(given) : OffsetDateTime.parse(given).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--effective-at: '" + given
                    + "' is not an ISO-8601 time with its zone, e.g. 2026-03-01T10:00:00Z");
        }
    }

    /** Who writes a record: the operating-system user (the topic's ACLs decide who may). */
    static String actor() {
        return System.getProperty("user.name", "unknown");
    }
}
