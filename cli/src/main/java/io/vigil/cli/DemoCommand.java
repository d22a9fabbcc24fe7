package io.vigil.cli;

import io.vigil.jobs.stream.StreamingTopology;
import io.vigil.jobs.wiring.RuleSets;
import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.Connections;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.localstack.LocalElasticsearch;
import io.vigil.localstack.LocalKafka;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.simulate.KafkaSink;
import io.vigil.simulate.ScenarioGenerator;
import io.vigil.simulate.Simulation;
import io.vigil.model.EcsJson;
import io.vigil.model.text.SafeText;
import io.vigil.rules.RuleMeta;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: the whole streaming stack on this machine, fed by the attack-scenario
 * generator, with the alerts read back from Elasticsearch.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a real Kafka broker (KRaft) and a real Elasticsearch node on this machine, feed Kafka "
                + "with benign traffic and attack scenarios (brute force then success, password spray, backdoor "
                + "account, log clearing, web scanning, …), run Vigil's streaming job, and print what lands in "
                + "Elasticsearch: alerts by rule and entity, with the query to see them.",
            "The first run downloads the minimal Elasticsearch distribution (about 107 MB) from Maven Central "
                + "into ~/.cache/vigil (or $VIGIL_CACHE_DIR). Ctrl-C stops everything cleanly. Exits 0 when "
                + "alerts arrived."})
public final class DemoCommand implements Callable<Integer> {

    static final String TOPIC_PREFIX = "vigil.raw.";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Feed and watch this long once the job runs (30s, 5m), then print the summary: the "
                    + "start of Kafka, Elasticsearch and the job comes on top. Default: until Ctrl-C.")
    String duration;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "200",
            description = "Records per second fed into Kafka. Default: ${DEFAULT-VALUE}.")
    long rate;

    @Option(names = "--attack-every", paramLabel = "N", defaultValue = "400",
            description = "One attack scenario per N benign records. Default: ${DEFAULT-VALUE}.")
    int attackEvery;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Generator seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--keep", description = "Leave Kafka, Elasticsearch and the job running after the summary, "
            + "until Ctrl-C.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        if (rate < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be at least 1");
        }
        Long limitMs = null;
        if (duration != null) {
            try {
                limitMs = RuleMeta.parseDuration(duration);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--duration: " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("vigil-demo");
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        LocalKafka kafka = null;
        LocalElasticsearch es = null;
        JobClient job = null;
        Thread feeder = null;
        Thread hook = new Thread(() -> {
            stopping.set(true);
            try {
                stopped.await(); // let the main thread print the summary and stop everything
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("demo: starting Kafka (KRaft, in this process)…");
            out.flush();
            kafka = LocalKafka.start();
            // the job writes to the default dead-letter and alert topics: the demo sets neither
            kafka.createTopics(1, TOPIC_PREFIX + "syslog", TOPIC_PREFIX + "windows", TOPIC_PREFIX + "access",
                    VigilOptions.KAFKA_DEAD_LETTER_TOPIC.defaultValue(), VigilOptions.KAFKA_ALERTS_TOPIC.defaultValue());
            out.println("demo: Kafka at " + kafka.bootstrapServers());
            out.println("demo: starting Elasticsearch " + LocalElasticsearch.VERSION
                    + " (the first run downloads it from Maven Central)…");
            out.flush();
            es = LocalElasticsearch.builder().build().start();
            out.println("demo: Elasticsearch at " + es.url());

            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            settings.put("kafka.topics", TOPIC_PREFIX + "syslog:syslog," + TOPIC_PREFIX + "windows:windows,"
                    + TOPIC_PREFIX + "access:access");
            settings.put("kafka.group-id", "vigil-demo");
            settings.put("elasticsearch.urls", es.url());
            settings.put("checkpoints.interval", "5s");
            settings.put("checkpoints.dir", work.resolve("checkpoints").toString());
            VigilConfig config = VigilConfig.of(settings, "demo");
            ElasticsearchConnection connection = Connections.elasticsearch(config);
            Connections.installTemplates(connection);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    FlinkSettings.flinkConfig(config));
            StreamingTopology.build(config, RuleSets.load(config), env);
            job = env.executeAsync("vigil demo");
            out.println("demo: streaming job running; feeding Kafka with " + rate + " records/s, an attack every "
                    + attackEvery + " records");
            out.flush();

            String bootstrap = kafka.bootstrapServers();
            feeder = new Thread(() -> feed(bootstrap, out), "demo-feeder");
            feeder.setDaemon(true);
            feeder.start();
            // --duration counts from here: on a slow or busy machine the services' start must not eat
            // the time the demo feeds attacks and waits for their alerts
            long fedSince = System.nanoTime();

            Instant firstAlert = null;
            long firstAlertSeconds = -1;
            try (RestClient rest = connection.restClient()) {
                long nextReport = 0;
                while (!stopping.get()) {
                    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
                    if (limitMs != null && (System.nanoTime() - fedSince) / 1_000_000 >= limitMs) {
                        break;
                    }
                    org.apache.flink.api.common.JobStatus status = job.getJobStatus().get();
                    if (status == org.apache.flink.api.common.JobStatus.RESTARTING) {
                        out.println("demo: the streaming job is restarting after a failure (VIGIL_FLINK_LOG_LEVEL=WARN "
                                + "shows why)");
                    }
                    if (status.isGloballyTerminalState()) {
                        try {
                            job.getJobExecutionResult().get();
                        } catch (Exception e) {
                            throw new IllegalStateException("the streaming job stopped: " + VigilCli.describe(e), e);
                        }
                        throw new IllegalStateException("the streaming job stopped");
                    }
                    long alerts = countAlerts(rest);
                    if (alerts > 0 && firstAlert == null) {
                        firstAlert = Instant.now();
                        firstAlertSeconds = elapsedMs / 1000;
                        out.printf("demo: first alert searchable %d s after start%n", firstAlertSeconds);
                    }
                    if (elapsedMs >= nextReport) {
                        out.printf("demo: %d s, %d alerts in Elasticsearch%n", elapsedMs / 1000, alerts);
                        nextReport = elapsedMs + 10_000;
                    }
                    out.flush();
                    Thread.sleep(1000); // polling interval of a person watching, not a correctness wait
                }
                feeder.interrupt();
                rest.performRequest(new Request("POST", "/vigil-alerts-*/_refresh"));
                long total = summary(rest, out, es.url());
                if (firstAlertSeconds >= 0) {
                    out.printf("time to first alert: %d s%n", firstAlertSeconds);
                }
                out.flush();
                if (keep && !stopping.get()) {
                    out.println("demo: --keep: Kafka " + kafka.bootstrapServers() + ", Elasticsearch " + es.url()
                            + " and the job keep running; Ctrl-C stops them.");
                    out.flush();
                    while (!stopping.get()) {
                        Thread.sleep(500);
                    }
                }
                return total > 0 ? VigilCli.OK : VigilCli.FAILURE;
            }
        } finally {
            if (feeder != null) {
                feeder.interrupt();
            }
            if (job != null) {
                try {
                    job.cancel().get();
                } catch (Exception ignored) {
                    // the job may already be gone
                }
            }
            if (es != null) {
                es.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            stopped.countDown();
            if (!stopping.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            out.println("demo: stopped");
            out.flush();
        }
    }

    private void feed(String bootstrap, PrintWriter out) {
        ScenarioGenerator generator = new ScenarioGenerator(seed, Instant.now(), rate, attackEvery);
        try (KafkaSink sink = new KafkaSink(bootstrap, TOPIC_PREFIX)) {
            Simulation.run(generator, sink, Long.MAX_VALUE, true, 0, out);
        } catch (Exception e) {
            // interrupted at the end of the demo
        }
    }

    private static long countAlerts(RestClient rest) {
        try {
            Response r = rest.performRequest(new Request("GET", "/vigil-alerts-*/_count"));
            return EcsJson.MAPPER.readTree(r.getEntity().getContent()).path("count").asLong();
        } catch (Exception e) {
            return 0; // no alert index yet
        }
    }

    /** Prints alerts by rule and entity; returns the total. */
    static long summary(RestClient rest, PrintWriter out, String url) throws Exception {
        Request search = new Request("GET", "/vigil-alerts-*/_search");
        search.setJsonEntity("{\"size\":0,\"aggs\":{\"rules\":{\"terms\":{\"field\":\"rule.id\",\"size\":50},"
                + "\"aggs\":{\"entities\":{\"terms\":{\"field\":\"vigil.alert.group_key\",\"size\":5}}}}}}");
        JsonNode body = EcsJson.MAPPER.readTree(rest.performRequest(search).getEntity().getContent());
        long total = body.at("/hits/total/value").asLong();
        out.printf("%nAlerts in Elasticsearch: %d%n", total);
        for (JsonNode rule : body.at("/aggregations/rules/buckets")) {
            out.printf("  %-32s %6d%n", SafeText.escape(rule.path("key").asText()), rule.path("doc_count").asLong());
            // group keys are entities of the traffic: user names, addresses, hosts
            for (JsonNode entity : rule.at("/entities/buckets")) {
                out.printf("      %-40s %4d%n", SafeText.escape(entity.path("key").asText()),
                        entity.path("doc_count").asLong());
            }
        }
        out.printf("%nSee them: curl -s '%s/vigil-alerts-*/_search?size=20&sort=@timestamp:desc&pretty'%n", url);
        try {
            rest.performRequest(new Request("POST", "/vigil-incidents/_refresh"));
            long incidents = EcsJson.MAPPER.readTree(rest.performRequest(new Request("GET", "/vigil-incidents/_count"))
                    .getEntity().getContent()).path("count").asLong();
            out.printf("Incidents assembled from them: %d; triage with ./vigil incidents list --es %s%n", incidents, url);
        } catch (Exception e) {
            out.println("No incidents yet (they follow their alerts by the out-of-orderness).");
        }
        out.println("In Kibana: ./vigil setup kibana --url KIBANA imports the data views and the SOC dashboard");
        return total;
    }

}
