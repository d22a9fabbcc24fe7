package io.vigil.jobs.stream;

import io.vigil.jobs.config.ConfigCheck;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.wiring.Connections;
import io.vigil.jobs.wiring.ElasticsearchAccess;
import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.TransportSecurity;
import io.vigil.connectors.kafka.KafkaLogin;
import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.jobs.wiring.RuleSets;
import io.vigil.rules.verify.RuleSet;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job's entry point: reads {@code vigil.yaml}, checks what can be checked before
 * submission (rules, webhook secrets, the Kafka login, index templates; credentials that would
 * travel in clear are logged as warnings), builds {@link StreamingTopology} and runs
 * it. The main class of the job jar for {@code flink run}, and what {@code vigil run} calls.
 */
public final class StreamingMain {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingMain.class);

    private static final java.time.Duration KAFKA_LOGIN_TIMEOUT = java.time.Duration.ofSeconds(30);

    private StreamingMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !"--config".equals(args[0])) {
            System.err.println("usage: StreamingMain --config vigil.yaml");
            System.exit(2);
        }
        // on a cluster, Flink restores the job: from its high-availability store, or `flink run -s`
        run(VigilConfig.load(Path.of(args[1])), null);
    }

    /**
     * Installs the index templates, then runs the job until it is cancelled or fails.
     *
     * @param restoreFrom checkpoint or savepoint directory to restore the job's state and Kafka
     *     offsets from, or {@code null} to start from the consumer group's committed offsets
     */
    public static void run(VigilConfig config, String restoreFrom) throws Exception {
        RuleSet rules = RuleSets.load(config);
        // what `vigil config --check` refuses, the job refuses before it touches a service
        List<String> problems = ConfigCheck.problems(config, ConfigCheck.ruleIds(rules.sources()));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("configuration: " + String.join("; ", problems));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.flinkConfig(config, restoreFrom));
        KafkaSettings kafka = Connections.kafka(config);
        if (runsHere(env)) {
            // `vigil run`: this process is the TaskManager, a secret it cannot read the job cannot either
            checkSecretsHere(config, kafka, System::getenv);
        } else {
            // a cluster's TaskManagers read the secrets, and may have what the submitting process has not
            Connections.webhookSecretWarnings(config, System::getenv).forEach(w -> LOG.warn("{}", w));
        }
        List<String> warnings = TransportSecurity.warnings(config, System::getenv);
        warnings.forEach(w -> LOG.warn("{}", w));
        if (kafka.password() != null && kafka.readableHere(System::getenv)) {
            // a refused login stops the start here, naming the user and the mechanism
            KafkaLogin.check(kafka, System::getenv, KAFKA_LOGIN_TIMEOUT);
        }
        ElasticsearchAccess es = ElasticsearchAccess.of(config);
        if (es.connection().credentialsUnavailable(System::getenv) == null) {
            // an untrusted certificate or refused credentials stop the start with a clear error
            es.check();
            Connections.installTemplates(es);
        } else {
            // only the TaskManagers hold them (warned above): `vigil setup` installs the templates where they are
            LOG.warn("Elasticsearch not checked and index templates not installed from here: run `vigil setup` "
                    + "where the credentials are");
        }
        if (restoreFrom != null) {
            LOG.info("Resuming from {}", restoreFrom);
        } else {
            LOG.info("Starting without a checkpoint: Kafka from the committed offsets of group {}",
                    config.get(VigilOptions.KAFKA_GROUP));
        }
        StreamingTopology.build(config, rules, env);
        env.execute("vigil");
    }

    /**
     * Whether the job runs in this process (a local environment: {@code vigil run}, or execution
     * target {@code local}), so this process is the TaskManager that reads the secrets.
     */
    static boolean runsHere(StreamExecutionEnvironment env) {
        return env instanceof LocalStreamEnvironment
                || "local".equals(env.getConfiguration().get(DeploymentOptions.TARGET));
    }

    /**
     * Fails, naming every variable or file this process cannot read, when the job's secrets
     * (Kafka, Elasticsearch, webhooks) are not all here: for a job that runs in this process.
     */
    public static void checkSecretsHere(VigilConfig config, KafkaSettings kafka, java.util.function.UnaryOperator<String> env) {
        List<String> problems = new java.util.ArrayList<>();
        try {
            kafka.validate(env);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        String es = ElasticsearchAccess.of(config, null, null, env::apply).connection().credentialsUnavailable(env::apply);
        if (es != null) {
            problems.add("Elasticsearch: " + es);
        }
        for (var r : config.webhooks()) {
            try {
                r.target().resolve(env::apply);
            } catch (IllegalStateException | IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the job runs in this process, which cannot read its secrets: "
                    + String.join("; ", problems));
        }
    }
}
