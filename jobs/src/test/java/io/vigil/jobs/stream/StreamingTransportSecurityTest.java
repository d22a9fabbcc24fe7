package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.SecuredElasticsearch;
import io.vigil.connectors.kafka.KafkaLogin;
import io.vigil.connectors.tls.TestCertificates;
import io.vigil.connectors.webhook.WebhookReceiver;
import io.vigil.connectors.webhook.WebhookReceiver.Received;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.wiring.Connections;
import io.vigil.jobs.wiring.ElasticsearchAccess;
import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.localstack.LocalKafka;
import io.vigil.model.EcsJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job over secured transports, all on loopback: Kafka over TLS with a SCRAM-SHA-512
 * login (a real broker with a SASL_SSL listener), Elasticsearch over https with an API key (a TLS
 * door in front of the real node that checks and records the header), and a webhook receiver over
 * https trusted through its CA. The passwords come from the environment (this module's surefire
 * sets the variables, as an operator sets them on the TaskManagers) and from files; none is in the
 * job graph, and a wrong one is refused naming the user and the mechanism, never the password.
 */
class StreamingTransportSecurityTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String KAFKA_PASSWORD_ENV = "VIGIL_TEST_KAFKA_PASSWORD";
    private static final String ES_API_KEY_ENV = "VIGIL_TEST_ES_API_KEY";
    private static final String KAFKA_USER = "vigil-job";
    private static final String WEBHOOK_SECRET = "webhook-secret-from-a-file-41d7";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static LocalKafka kafka;
    private static SecuredElasticsearch elasticsearch;
    private static WebhookReceiver receiver;
    private static TestCertificates hooks;
    private static Path truststorePasswordFile;
    private static Path webhookSecretFile;
    private static Path otherCa;
    private static TestCertificates other;

    @BeforeAll
    static void start() throws Exception {
        StreamingJobTest.services();
        // one certificate for 127.0.0.1 serves the three endpoints; another is what none of them trusts
        TestCertificates loopback = TestCertificates.create(dir, "loopback");
        TestCertificates broker = loopback;
        TestCertificates es = loopback;
        hooks = loopback;
        other = TestCertificates.create(dir, "other");
        otherCa = other.caPem();
        kafka = LocalKafka.startSecured(new LocalKafka.SecuredListener(broker.keystore(), broker.password(),
                "SCRAM-SHA-512", Map.of(KAFKA_USER, env(KAFKA_PASSWORD_ENV))));
        elasticsearch = SecuredElasticsearch.https(StreamingServices.ES.url(), es.serverContext())
                .apiKey(env(ES_API_KEY_ENV), "vigil", "vigil-job");
        receiver = WebhookReceiver.startHttps(WEBHOOK_SECRET, hooks.serverContext());
        // files as an operator writes them: the secret and a line break
        truststorePasswordFile = Files.writeString(dir.resolve("truststore-password"), broker.password() + "\n");
        webhookSecretFile = Files.writeString(dir.resolve("webhook-secret"), WEBHOOK_SECRET + "\n");
        caForEs = es.caPem();
        brokerTruststore = broker.truststore();
    }

    private static Path caForEs;
    private static Path brokerTruststore;

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (elasticsearch != null) {
            elasticsearch.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        assertThat(value).as("environment variable %s (set by this module's surefire configuration)", name)
                .isNotBlank();
        return value;
    }

    /** The streaming job's configuration, every connection secured. */
    private static Map<String, String> settings(String prefix) {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap-servers", kafka.securedBootstrapServers());
        m.put("kafka.security-protocol", "SASL_SSL");
        m.put("kafka.sasl-mechanism", "SCRAM-SHA-512");
        m.put("kafka.username", KAFKA_USER);
        m.put("kafka.password-env", KAFKA_PASSWORD_ENV);
        m.put("kafka.truststore", brokerTruststore.toString());
        m.put("kafka.truststore-password-file", truststorePasswordFile.toString());
        m.put("kafka.topics", prefix + ".syslog:syslog");
        m.put("kafka.group-id", prefix);
        m.put("kafka.dead-letter-topic", prefix + ".dead-letters");
        m.put("kafka.alerts-topic", prefix + ".alerts");
        m.put("elasticsearch.urls", elasticsearch.url());
        m.put("elasticsearch.api-key-env", ES_API_KEY_ENV);
        m.put("elasticsearch.ca-cert", caForEs.toString());
        m.put("elasticsearch.bulk.flush-interval", "200ms");
        m.put("webhooks.endpoints.soar.url", receiver.url("/hooks/vigil"));
        m.put("webhooks.endpoints.soar.secret-file", webhookSecretFile.toString());
        m.put("webhooks.endpoints.soar.ca-cert", hooks.caPem().toString());
        m.put("webhooks.endpoints.soar.rules", "ssh-brute-force");
        m.put("detection.out-of-orderness", "1s");
        m.put("checkpoints.interval", "300ms");
        m.put("checkpoints.dir", dir.resolve("chk-" + prefix).toString());
        m.put("parallelism", "1");
        return m;
    }

    /** Every secret of the configuration, as this test JVM knows them. */
    private static List<String> secrets() throws IOException {
        return List.of(env(KAFKA_PASSWORD_ENV), env(ES_API_KEY_ENV), WEBHOOK_SECRET,
                Files.readString(truststorePasswordFile).strip());
    }

    @Test
    void noSecretIsInTheJobGraphOnlyWhereToFindIt() throws Exception {
        VigilConfig config = VigilConfig.of(settings("graph"), "test");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.flinkConfig(config, null));
        StreamingTopology.build(config, StreamingServices.RULES, env);
        StreamGraph streamGraph = env.getStreamGraph();
        List<byte[]> serialized = new ArrayList<>();
        for (StreamNode node : streamGraph.getStreamNodes()) {
            serialized.add(InstantiationUtil.serializeObject(node.getOperatorFactory()));
        }
        JobGraph jobGraph = streamGraph.getJobGraph();
        serialized.add(InstantiationUtil.serializeObject(jobGraph));
        jobGraph.getVertices().forEach(v -> serialized.add(serialize(v.getConfiguration())));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] b : serialized) {
            all.write(b);
        }
        byte[] bytes = all.toByteArray();
        for (String secret : secrets()) {
            assertThat(contains(bytes, secret)).as("a secret of %s characters is in the job graph", secret.length())
                    .isFalse();
        }
        // what the graph holds instead: where the TaskManagers find them (so the search looked at the right bytes)
        assertThat(contains(bytes, "password=\"${vigilenv:" + KAFKA_PASSWORD_ENV + ":jaas}\"")).isTrue();
        assertThat(contains(bytes, "${vigilfile:" + truststorePasswordFile + ":value}")).isTrue();
        assertThat(contains(bytes, kafka.securedBootstrapServers())).isTrue();
        assertThat(contains(bytes, webhookSecretFile.toString())).isTrue();
    }

    @Test
    void theJobReadsAndWritesKafkaOverScramAndTlsIndexesWithAnApiKeyAndDeliversOverHttps() throws Exception {
        String prefix = "sec1";
        kafka.createTopics(1, prefix + ".syslog", prefix + ".dead-letters", prefix + ".alerts");
        Instant t0 = Instant.parse("2024-08-01T10:00:00Z");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(StreamingJobTest.bruteForce(prefix + ".syslog",
                "203.0.113.91", t0, 6, false));
        records.add(StreamingJobTest.record(prefix + ".syslog", t0.plusSeconds(40), "this is not a log line"));
        records.add(StreamingJobTest.record(prefix + ".syslog", t0.plusSeconds(600), StreamingJobTest.SYSLOG
                .format(t0.plusSeconds(600)) + " bastion CRON[9]: pam_unix(cron:session): session closed for user root"));
        StreamingJobTest.produce(kafka.bootstrapServers(), records);
        elasticsearch.forget();

        // the templates go through the https door too, with the API key of this JVM's environment
        JobClient job = new StreamingJobTest().start(VigilConfig.of(settings(prefix), "test"));
        try {
            // the alert in the node, written through the https door with the API key
            List<String> ids = new ArrayList<>();
            StreamingJobTest.await("the alert in elasticsearch", () -> StreamingJobTest.safely(() -> {
                ids.clear();
                StreamingJobTest.alerts("vigil-alerts-2024.08.01", "203.0.113.91").stream()
                        .filter(h -> h.at("/_source/rule/id").asText().equals("ssh-brute-force"))
                        .forEach(h -> ids.add(h.get("_id").asText()));
                return ids.size() == 1;
            }));
            List<SecuredElasticsearch.Seen> bulks = elasticsearch.seen().stream()
                    .filter(s -> s.rawUri().startsWith("/_bulk")).toList();
            assertThat(bulks).isNotEmpty().allSatisfy(s -> assertThat(s.authorization())
                    .isEqualTo("ApiKey " + env(ES_API_KEY_ENV)));

            // the alert and the dead letter in Kafka, written over SASL_SSL
            List<ConsumerRecord<String, String>> alerts = StreamingJobTest.consume(kafka.bootstrapServers(), prefix + ".alerts", 1);
            assertThat(alerts).extracting(ConsumerRecord::key).contains(ids.get(0));
            List<ConsumerRecord<String, String>> dead = StreamingJobTest.consume(kafka.bootstrapServers(), prefix + ".dead-letters", 1);
            assertThat(dead).extracting(ConsumerRecord::key).containsExactly(prefix + ".syslog/0@6");

            // the webhook over https, its CA from ca-cert, signed with the secret of the file
            List<Received> got = receiver.await("a delivery over https", r -> r.stream()
                    .anyMatch(x -> ids.get(0).equals(x.idempotencyKey())), WAIT);
            Received delivery = got.stream().filter(x -> ids.get(0).equals(x.idempotencyKey())).findFirst()
                    .orElseThrow();
            assertThat(delivery.signatureProblem()).isNull();
            assertThat(delivery.replied()).isEqualTo(200);
            JsonNode body = EcsJson.MAPPER.readTree(delivery.body());
            assertThat(body.at("/rule/id").asText()).isEqualTo("ssh-brute-force");
        } finally {
            StreamingJobTest.cancel(job);
        }
    }

    @Test
    void aWrongPasswordIsRefusedNamingTheUserAndMechanismNeverThePassword() throws Exception {
        Map<String, String> m = settings("sec2");
        VigilConfig right = VigilConfig.of(m, "test");
        KafkaLogin.check(Connections.kafka(right), System::getenv, Duration.ofSeconds(30));

        String wrong = "not-the-password-93be";
        Path wrongFile = Files.writeString(dir.resolve("wrong-password"), wrong + "\n");
        m.remove("kafka.password-env");
        m.put("kafka.password-file", wrongFile.toString());
        VigilConfig config = VigilConfig.of(m, "test");
        assertThatThrownBy(() -> KafkaLogin.check(Connections.kafka(config), System::getenv, Duration.ofSeconds(30)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Kafka at " + kafka.securedBootstrapServers() + " refused the SCRAM-SHA-512 login "
                        + "of user '" + KAFKA_USER + "' (password from file " + wrongFile + ")")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));

        // the broker's certificate checked against another CA: a TLS failure that says where the trust comes from
        m.put("kafka.truststore", other.truststore().toString());
        VigilConfig untrusted = VigilConfig.of(m, "test");
        assertThatThrownBy(() -> KafkaLogin.check(Connections.kafka(untrusted), System::getenv, Duration.ofSeconds(30)))
                .hasMessageContaining("the TLS handshake failed");
    }

    @Test
    void anApiKeyFromAFileIsSentAndACertificateOfAnotherCaIsAClearError() throws Exception {
        Map<String, String> m = settings("sec3");
        m.remove("elasticsearch.api-key-env");
        m.put("elasticsearch.api-key-file", Files.writeString(dir.resolve("es-api-key"), env(ES_API_KEY_ENV) + "\n")
                .toString());
        elasticsearch.forget();
        ElasticsearchAccess.of(VigilConfig.of(m, "test")).check();
        assertThat(elasticsearch.seen()).isNotEmpty().allSatisfy(s -> assertThat(s.authorization())
                .isEqualTo("ApiKey " + env(ES_API_KEY_ENV)));

        m.put("elasticsearch.ca-cert", otherCa.toString());
        ElasticsearchAccess access = ElasticsearchAccess.of(VigilConfig.of(m, "test"));
        assertThatThrownBy(access::check).hasMessageContaining("its TLS certificate is not trusted")
                .hasMessageContaining("it is not signed by the CA certificate " + otherCa)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(env(ES_API_KEY_ENV)));
    }

    private static byte[] serialize(Object o) {
        try {
            return InstantiationUtil.serializeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the UTF-8 bytes of {@code needle} are in {@code haystack} (Latin-1 maps each byte to one char). */
    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1)
                .contains(new String(needle.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }
}
