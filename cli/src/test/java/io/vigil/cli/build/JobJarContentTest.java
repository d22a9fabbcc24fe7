package io.vigil.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job jar a Flink cluster runs ({@code jobs/target/vigil-jobs-<version>-job.jar}, shaded when the
 * jobs module is packaged, before this module's tests run in the reactor) holds the job and what it
 * needs at run time, and none of the development infrastructure: no Kafka broker, no Scala, no
 * Elasticsearch launcher, no command line, no simulator, no benchmark or test library; and no
 * second Jackson line.
 */
class JobJarContentTest {

    /** Entry prefixes that must not be in the job jar, each with why. */
    static final Map<String, String> FORBIDDEN = new TreeMap<>(Map.ofEntries(
            Map.entry("kafka/server/", "the Kafka broker (kafka_2.13)"),
            Map.entry("kafka/raft/", "the Kafka broker (kafka_2.13)"),
            Map.entry("org/apache/kafka/storage/internals/log/", "the Kafka broker's log storage"),
            Map.entry("org/apache/kafka/raft/", "the Kafka broker's KRaft"),
            Map.entry("scala/", "Scala, which only the Kafka broker needs"),
            Map.entry("io/vigil/localstack/", "the local Kafka broker and Elasticsearch launcher"),
            Map.entry("io/vigil/cli/", "the command line"),
            Map.entry("picocli/", "the command-line parser"),
            Map.entry("io/vigil/simulate/", "the traffic simulator"),
            Map.entry("io/vigil/bench/", "the benchmarks"),
            Map.entry("com/espertech/", "Esper, a benchmark peer"),
            Map.entry("org/openjdk/jmh/", "JMH, the benchmark harness"),
            Map.entry("org/junit/", "JUnit"),
            Map.entry("org/assertj/", "AssertJ"),
            Map.entry("org/apache/flink/test/", "Flink's test utilities"),
            Map.entry("org/apache/flink/runtime/", "Flink's runtime: the cluster's own"),
            Map.entry("org/apache/logging/log4j/", "logging: the cluster's own"),
            Map.entry("com/esotericsoftware/kryo/", "Kryo: Flink's own, loaded parent-first"),
            Map.entry("tools/jackson/", "Jackson 3: the Elasticsearch client uses Jackson 2, one Jackson line")));

    /** Entries the job cannot run without. */
    static final List<String> REQUIRED = List.of(
            "io/vigil/jobs/stream/StreamingMain.class",
            "io/vigil/jobs/VigilJob.class",
            "io/vigil/rules/verify/RuleSet.class",
            "io/vigil/formats/DecoderRegistry.class",
            "io/vigil/connectors/kafka/VigilKafka.class",
            "org/drools/core/RuleBaseConfiguration.class",
            "org/apache/kafka/clients/consumer/KafkaConsumer.class",
            "org/apache/flink/connector/kafka/source/KafkaSource.class",
            "co/elastic/clients/elasticsearch/ElasticsearchClient.class",
            // the client's Jackson 2 mapper, the one ElasticsearchConnection builds it with
            "co/elastic/clients/json/jackson/JacksonJsonpMapper.class",
            "com/fasterxml/jackson/databind/ObjectMapper.class",
            // Drools finds its pieces through service files, merged by the shade plugin (docs/deployment.md)
            "META-INF/services/org.kie.api.internal.assembler.KieAssemblerService");

    static Path jar;

    @BeforeAll
    static void findJar() throws IOException {
        Path target = root().resolve("jobs/target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().matches("vigil-jobs-.*-job\\.jar")).toList();
            assertThat(jars).as("the job jar in %s: package the jobs module first (./mvnw -pl jobs -am package)",
                    target).hasSize(1);
            jar = jars.get(0);
        }
    }

    @Test
    void holdsNoDevelopmentInfrastructure() throws IOException {
        List<String> found = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            j.stream().forEach(e -> FORBIDDEN.forEach((prefix, why) -> {
                if (e.getName().startsWith(prefix) && found.stream().noneMatch(f -> f.startsWith(prefix))) {
                    found.add(prefix + " (" + why + "), e.g. " + e.getName());
                }
            }));
        }
        assertThat(found).as("forbidden content in %s", jar.getFileName()).isEmpty();
    }

    @Test
    void holdsWhatTheJobNeedsAndNamesItsMainClass() throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            for (String entry : REQUIRED) {
                assertThat(j.getEntry(entry)).as("%s in %s", entry, jar.getFileName()).isNotNull();
            }
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.vigil.jobs.stream.StreamingMain");
        }
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root (the directory of mvnw) above the working directory").isNotNull();
        return dir;
    }
}
