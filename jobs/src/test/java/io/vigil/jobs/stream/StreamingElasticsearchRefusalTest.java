package io.vigil.jobs.stream;

import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.Connections;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.FaultInjectingProxy;
import io.vigil.connectors.elasticsearch.FaultInjectingProxy.Reply;
import io.vigil.localstack.LocalKafka;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job when Elasticsearch refuses the alert requests for good (a role that lost its
 * write privilege on {@code vigil-alerts-*}): the alerts are kept on the Kafka dead-letter topic
 * with the reason, and the job keeps running instead of restarting on the same records.
 */
class StreamingElasticsearchRefusalTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void alertsElasticsearchRefusesGoToTheDeadLetterTopicAndTheJobKeepsRunning() throws Exception {
        LocalKafka kafka = StreamingServices.KAFKA;
        String prefix = "esrefused";
        kafka.createTopics(1, prefix + ".syslog", prefix + ".dead-letters", prefix + ".alerts");
        Instant t0 = Instant.parse("2024-07-01T10:00:00Z");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(
                StreamingJobTest.bruteForce(prefix + ".syslog", "203.0.113.77", t0, 6, false));
        records.add(StreamingJobTest.record(prefix + ".syslog", t0.plusSeconds(120),
                StreamingJobTest.SYSLOG.format(t0.plusSeconds(120))
                        + " bastion CRON[9]: pam_unix(cron:session): session closed for user root"));
        produce(kafka, records);

        try (FaultInjectingProxy proxy = FaultInjectingProxy.to(StreamingServices.ES.url())) {
            proxy.fault(r -> r.isBulk() && r.bodyText().contains("\"_index\":\"vigil-alerts-")
                    ? Reply.error(403, "security_exception", "action [indices:data/write/bulk[s]] is unauthorized")
                    : null);
            Map<String, String> m = new HashMap<>();
            m.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            m.put("kafka.topics", prefix + ".syslog:syslog");
            m.put("kafka.group-id", prefix);
            m.put("kafka.dead-letter-topic", prefix + ".dead-letters");
            m.put("kafka.alerts-topic", prefix + ".alerts");
            m.put("elasticsearch.urls", proxy.url());
            m.put("elasticsearch.bulk.flush-interval", "200ms");
            m.put("elasticsearch.refused-request-retries", "1");
            m.put("detection.out-of-orderness", "1s");
            m.put("checkpoints.interval", "300ms");
            m.put("checkpoints.dir", dir.resolve("chk").toString());
            VigilConfig config = VigilConfig.of(m, "test");

            Connections.installTemplates(Connections.elasticsearch(config));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    FlinkSettings.flinkConfig(config, null));
            StreamingTopology.build(config, StreamingServices.RULES, env);
            JobClient job = env.executeAsync("streaming refusal test");
            try {
                List<JsonNode> refused = new ArrayList<>();
                long end = System.nanoTime() + DEADLINE.toNanos();
                try (KafkaConsumer<String, String> consumer = consumer(kafka, prefix + ".dead-letters")) {
                    while (refused.isEmpty() && System.nanoTime() < end) {
                        for (var r : consumer.poll(Duration.ofMillis(500))) {
                            JsonNode letter = EcsJson.MAPPER.readTree(r.value());
                            if (DeadLetter.ELASTICSEARCH.equals(letter.at("/vigil/dead_letter/kind").asText())) {
                                refused.add(letter);
                            }
                        }
                    }
                }
                assertThat(refused).as("the alert, kept on the dead-letter topic").isNotEmpty();
                JsonNode letter = refused.get(0);
                assertThat(letter.path("reason").asText()).startsWith("403 security_exception");
                assertThat(letter.at("/vigil/origin/source").asText()).isEqualTo("vigil-alerts-2024.07.01");
                JsonNode alert = EcsJson.MAPPER.readTree(letter.at("/raw/value").asText());
                assertThat(alert.at("/rule/id").asText()).isEqualTo("ssh-brute-force");
                assertThat(alert.at("/source/ip").asText()).isEqualTo("203.0.113.77");
                assertThat(proxy.bulkRequests()).anyMatch(r -> r.bodyText().contains("\"_index\":\"vigil-alerts-"));
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                StreamingJobTest.cancel(job);
            }
        }
    }

    private static void produce(LocalKafka kafka, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get();
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(LocalKafka kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
