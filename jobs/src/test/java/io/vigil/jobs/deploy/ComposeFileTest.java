package io.vigil.jobs.deploy;

import io.vigil.jobs.wiring.RuleSets;
import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.Connections;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.stream.StreamingMain;
import io.vigil.localstack.flink.LocalFlinkCluster;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.yaml.snakeyaml.Yaml;

/**
 * The Docker Compose stack ({@code docker-compose.yml}, {@code deploy/docker/}) cannot be started
 * by the build (no container engine is assumed), so these checks read its files: the service
 * graph is well formed and ordered by health, image versions follow the versions the build uses,
 * what it mounts or copies exists, and Vigil's configuration for it loads with Vigil's own loader
 * and agrees with the compose file (addresses, topics, checkpoint volume).
 */
class ComposeFileTest {

    static final String CHECKPOINTS = "/opt/flink/checkpoints";
    static final List<String> FLINK_SERVICES = List.of("jobmanager", "taskmanager", "vigil-setup");

    static Path root;
    static Map<String, Object> compose;
    static Map<String, Map<String, Object>> services;
    static Map<String, String> pom;

    @BeforeAll
    static void read() throws Exception {
        root = repositoryRoot();
        try (Reader in = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
            // SnakeYAML resolves the anchors and aliases the file shares between services
            compose = new Yaml().load(in);
        }
        services = new LinkedHashMap<>();
        map(compose.get("services"), "services").forEach((name, s) -> services.put(name, map(s, name)));
        pom = pomProperties(root.resolve("pom.xml"));
    }

    // ------------------------------------------------------------------ the service graph

    @Test
    void everyServiceNamedInDependsOnExistsWithAConditionItCanMeet() {
        assertThat(services).containsKeys("kafka", "kafka-init", "elasticsearch", "kibana", "jobmanager", "taskmanager",
                "vigil-setup");
        services.forEach((name, s) -> dependsOn(name).forEach((dependency, condition) -> {
            assertThat(services).as("%s depends on %s", name, dependency).containsKey(dependency);
            switch (condition) {
                case "service_healthy" -> assertThat(services.get(dependency))
                        .as("%s waits for %s to be healthy: it needs a health check", name, dependency)
                        .containsKey("healthcheck");
                case "service_completed_successfully" -> assertThat(oneShot(dependency))
                        .as("%s waits for %s to complete: it must be a one-shot service", name, dependency).isTrue();
                case "service_started" -> { }
                default -> throw new AssertionError(name + " depends on " + dependency + " with condition " + condition);
            }
        }));
        // and no cycle: every service can be started after its dependencies
        Set<String> started = new HashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String name : services.keySet()) {
                if (!started.contains(name) && started.containsAll(dependsOn(name).keySet())) {
                    started.add(name);
                    progress = true;
                }
            }
        }
        assertThat(started).as("services reachable in dependency order").isEqualTo(services.keySet());
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckAndRestarts() {
        services.forEach((name, s) -> assertThat(s).as("%s says whether it is one-shot (restart)", name)
                .containsKey("restart"));
        Set<String> longRunning = longRunning();
        assertThat(longRunning).containsExactlyInAnyOrder("kafka", "elasticsearch", "kibana", "jobmanager",
                "taskmanager");
        for (String name : longRunning) {
            Map<String, Object> healthcheck = map(services.get(name).get("healthcheck"), name + " healthcheck");
            List<String> test = strings(healthcheck.get("test"));
            assertThat(test).as("%s health check", name).hasSizeGreaterThanOrEqualTo(2);
            assertThat(test.get(0)).as("%s health check", name).isIn("CMD", "CMD-SHELL");
            assertThat(healthcheck).as("%s health check", name).containsKeys("interval", "timeout", "retries");
            assertThat(services.get(name).get("restart")).as("%s restart", name).isEqualTo("unless-stopped");
        }
        assertThat(healthTest("kafka")).contains("kafka-broker-api-versions.sh");
        assertThat(healthTest("elasticsearch")).contains("/_cluster/health");
        assertThat(healthTest("kibana")).contains("/api/status");
        assertThat(healthTest("jobmanager")).contains(":8081/overview");
        assertThat(healthTest("taskmanager")).contains("jobmanager:8081/overview").contains("\"taskmanagers\":[1-9]");
    }

    @Test
    void vigilSetupRunsOnceEverythingElseIsReady() {
        assertThat(oneShot("vigil-setup")).isTrue();
        assertThat(oneShot("kafka-init")).isTrue();
        Map<String, String> expected = new LinkedHashMap<>();
        for (String name : services.keySet()) {
            if (!name.equals("vigil-setup")) {
                expected.put(name, oneShot(name) ? "service_completed_successfully" : "service_healthy");
            }
        }
        assertThat(dependsOn("vigil-setup")).isEqualTo(expected);
        assertThat(strings(services.get("vigil-setup").get("command"))).containsExactly("vigil-setup");
    }

    // ------------------------------------------------------------------ versions

    @Test
    void imagesFollowTheVersionsTheBuildUses() throws IOException {
        assertThat(image("kafka")).isEqualTo("apache/kafka:" + pom.get("kafka.version"));
        assertThat(image("kafka-init")).isEqualTo(image("kafka"));

        String client = pom.get("elasticsearch-client.version");
        String majorMinor = client.substring(0, client.indexOf('.', client.indexOf('.') + 1));
        assertThat(majorMinor).isEqualTo("8.19");
        String es = image("elasticsearch");
        String kibana = image("kibana");
        assertThat(es).startsWith("docker.elastic.co/elasticsearch/elasticsearch:");
        assertThat(kibana).startsWith("docker.elastic.co/kibana/kibana:");
        assertThat(tag(es)).as("Elasticsearch tag").startsWith(majorMinor + ".").matches("\\d+\\.\\d+\\.\\d+");
        assertThat(tag(kibana)).as("Kibana runs only with the same Elasticsearch version").isEqualTo(tag(es));

        // Flink: every Flink service runs the image built from deploy/docker/Dockerfile, on the Flink image
        for (String name : FLINK_SERVICES) {
            Map<String, Object> build = map(services.get(name).get("build"), name + " build");
            assertThat(build.get("dockerfile")).as("%s dockerfile", name).isEqualTo("deploy/docker/Dockerfile");
            assertThat(build.get("context")).as("%s build context", name).isEqualTo(".");
            assertThat(image(name)).as("%s image", name).isEqualTo(image("jobmanager"));
        }
        String flinkImage = dockerfileArgs().get("FLINK_IMAGE");
        assertThat(flinkImage).as("ARG FLINK_IMAGE of deploy/docker/Dockerfile")
                .isEqualTo("flink:" + pom.get("flink.version") + "-scala_2.12-java17");
        assertThat(dockerfile()).anyMatch(l -> l.equals("FROM ${FLINK_IMAGE}"));
    }

    // ------------------------------------------------------------------ files from the repository

    @Test
    void filesMountedOrCopiedFromTheRepositoryExist() throws IOException {
        int mounts = 0;
        for (var e : services.entrySet()) {
            for (String volume : strings(e.getValue().getOrDefault("volumes", List.of()))) {
                String source = volume.split(":")[0];
                if (source.startsWith("./") || source.startsWith("../")) {
                    assertThat(root.resolve(source).normalize()).as("%s mounts %s", e.getKey(), volume).exists();
                    mounts++;
                } else {
                    assertThat(map(compose.get("volumes"), "volumes")).as("%s uses named volume %s", e.getKey(), source)
                            .containsKey(source);
                }
            }
            if (e.getValue().get("build") != null) {
                Map<String, Object> build = map(e.getValue().get("build"), e.getKey() + " build");
                Path context = root.resolve((String) build.get("context")).normalize();
                assertThat(context).isDirectory();
                assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();
            }
        }
        assertThat(mounts).isGreaterThanOrEqualTo(2);

        // kafka-init runs the script compose mounts for it
        List<String> command = strings(services.get("kafka-init").get("command"));
        assertThat(command).hasSize(2);
        assertThat(mountTargets("kafka-init")).containsKey(command.get(1));

        // COPY sources of the Dockerfile, relative to the build context (the repository root),
        // and not left out of the context by .dockerignore
        List<String> ignored = Files.readAllLines(root.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> copied = new ArrayList<>();
        for (String line : dockerfile()) {
            if (!line.startsWith("COPY ") || line.contains("--from=")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(line.substring(5).trim().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            for (String source : words.subList(0, words.size() - 1)) {
                if (!source.equals(".")) {
                    assertThat(root.resolve(source)).as("COPY %s", source).exists();
                    assertThat(ignoredBy(ignored, source)).as("COPY %s is left out by .dockerignore", source).isEmpty();
                }
                copied.add(source);
            }
        }
        assertThat(copied).contains(".", "deploy/docker/vigil", "deploy/docker/vigil-setup", "deploy/docker/vigil.yaml",
                "deploy/flink/config.yaml");
        // the build needs the wrapper, every module's pom and what the cli module packages (deploy/kibana)
        for (String needed : List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml", "jobs/pom.xml",
                "cli/pom.xml", "local-stack/pom.xml", "simulate/pom.xml", "bench/pom.xml", "jobs/src/main/java",
                "cli/src/main/java", "cli/src/main/resources", "deploy/kibana")) {
            assertThat(root.resolve(needed)).exists();
            assertThat(ignoredBy(ignored, needed)).as("%s is left out of the build context by .dockerignore", needed)
                    .isEmpty();
        }
        assertThat(ignoredBy(ignored, "jobs/target/vigil-jobs-0.1.0-job.jar")).as("build output stays out").isNotEmpty();
        // the scripts the image runs are executable in the repository too
        assertThat(Files.isExecutable(root.resolve("deploy/docker/vigil"))).isTrue();
        assertThat(Files.isExecutable(root.resolve("deploy/docker/vigil-setup"))).isTrue();
    }

    // ------------------------------------------------------------------ Vigil's configuration for the stack

    @Test
    void dockerConfigurationLoadsWithVigilsLoaderAndPointsAtTheStack() throws Exception {
        Path file = root.resolve("deploy/docker/vigil.yaml");
        VigilConfig c = VigilConfig.load(file);   // unknown keys, bad types and values fail here
        KafkaSettings kafka = Connections.kafka(c);   // validated
        ElasticsearchConnection es = Connections.elasticsearch(c);
        Configuration flink = FlinkSettings.flinkConfig(c);
        RuleSets.load(c);   // the packaged rules, as the job loads them

        // Kafka: the listener the broker advertises to other containers
        assertThat(kafka.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");
        assertThat(environment("kafka").get("KAFKA_INTER_BROKER_LISTENER_NAME")).isEqualTo("PLAINTEXT");

        // Elasticsearch: the service, without credentials (security is off in the stack)
        assertThat(es.urls()).containsExactly("http://elasticsearch:9200");
        assertThat(c.get(VigilOptions.ES_USERNAME_ENV)).isNull();
        assertThat(c.get(VigilOptions.ES_API_KEY_ENV)).isNull();
        assertThat(environment("elasticsearch")).containsEntry("xpack.security.enabled", "false");
        assertThat(environment("kibana").get("ELASTICSEARCH_HOSTS")).isEqualTo("http://elasticsearch:9200");

        // checkpoints: on the volume the JobManager, the TaskManager and vigil-setup share
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file://" + CHECKPOINTS);
        for (String name : FLINK_SERVICES) {
            assertThat(mountTargets(name)).as("%s mounts the checkpoint volume", name)
                    .containsEntry(CHECKPOINTS, "flink-checkpoints");
        }
        assertThat(mountTargets("vigil-setup")).containsEntry("/etc/vigil/vigil.yaml", "./deploy/docker/vigil.yaml");
        assertThat(Files.readString(root.resolve("deploy/docker/vigil-setup")))
                .contains("/etc/vigil/vigil.yaml", CHECKPOINTS, StreamingMain.class.getName());
    }

    @Test
    void topicsCreatedAreTheTopicsTheJobUsesWithoutTimeRetention() throws Exception {
        VigilConfig c = VigilConfig.load(root.resolve("deploy/docker/vigil.yaml"));
        Set<String> used = new TreeSet<>(c.get(VigilOptions.KAFKA_TOPICS).keySet());
        used.add(c.get(VigilOptions.KAFKA_DEAD_LETTER_TOPIC));
        used.add(c.get(VigilOptions.KAFKA_ALERTS_TOPIC));
        assertThat(used).contains("vigil.raw.syslog", "vigil.raw.windows", "vigil.raw.access", "vigil.raw.cloudtrail",
                "vigil.raw.zeek", "vigil.raw.ecs", "vigil.dead-letters", "vigil.alerts");

        String script = Files.readString(root.resolve("deploy/docker/create-topics.sh"));
        Matcher topics = Pattern.compile("(?m)^topics=\"([^\"]*)\"").matcher(script);
        assertThat(topics.find()).as("topics=\"…\" in create-topics.sh").isTrue();
        assertThat(new TreeSet<>(List.of(topics.group(1).trim().split("\\s+")))).isEqualTo(used);
        assertThat(script).contains("--config retention.ms=-1").contains("--if-not-exists");
        Matcher control = Pattern.compile("(?m)^control_topics=\"([^\"]*)\"").matcher(script);
        assertThat(control.find()).as("control_topics=\"…\" in create-topics.sh").isTrue();
        assertThat(control.group(1).trim()).isEqualTo(c.get(VigilOptions.ENRICH_CONTROL_TOPIC));
        assertThat(script).contains("--config cleanup.policy=compact --config max.message.bytes="
                + io.vigil.jobs.context.ContextTopic.MAX_RECORD_BYTES);
        // and the broker creates no topic by itself (it would have the default 7-day retention)
        assertThat(environment("kafka")).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    }

    @Test
    void flinkRunsOnTheSharedConfigurationWithOnlyPerContainerProperties() throws Exception {
        // the image's conf/config.yaml is the shared file, the one `vigil cluster start` reads
        assertThat(dockerfile()).contains("COPY --chown=flink:flink " + LocalFlinkCluster.SHARED_CONFIG
                + " /opt/flink/conf/config.yaml");
        Map<String, Object> shared = LocalFlinkCluster.readFlinkConfig(root.resolve(LocalFlinkCluster.SHARED_CONFIG));
        Map<String, String> properties = flinkProperties("jobmanager");
        for (String name : FLINK_SERVICES) {
            assertThat(flinkProperties(name)).as("%s FLINK_PROPERTIES", name).isEqualTo(properties);
        }
        // FLINK_PROPERTIES holds only what differs per container: addresses and process sizes
        assertThat(properties.keySet()).as("FLINK_PROPERTIES keys also in the shared file")
                .doesNotContainAnyElementsOf(shared.keySet());
        assertThat(properties.keySet()).allSatisfy(key -> assertThat(key)
                .matches("(jobmanager|taskmanager|rest)\\.(rpc\\.address|bind-host|address|bind-address|memory\\.process\\.size)"));
        Set<String> known = flinkOptionKeys();
        Map<String, Object> merged = new LinkedHashMap<>(shared);
        merged.putAll(properties);
        assertThat(merged.keySet()).allSatisfy(key -> assertThat(known.contains(key) || key.startsWith("metrics.reporter."))
                .as("Flink option %s", key).isTrue());

        assertThat(String.valueOf(merged.get("env.java.opts.all"))).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
        assertThat(merged.get("jobmanager.rpc.address")).isEqualTo("jobmanager");
        assertThat(merged.get("execution.checkpointing.dir")).isEqualTo("file://" + CHECKPOINTS);
        assertThat(String.valueOf(merged.get("execution.checkpointing.savepoint-dir"))).startsWith("file://" + CHECKPOINTS + "/");
        assertThat(merged.get("execution.checkpointing.externalized-checkpoint-retention")).isEqualTo("RETAIN_ON_CANCELLATION");
        assertThat(Integer.parseInt(String.valueOf(merged.get("execution.checkpointing.num-retained")))).isGreaterThanOrEqualTo(2);
        assertThat(merged).containsKey("restart-strategy.type");
        assertThat(merged).containsEntry("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(merged).containsEntry("metrics.reporter.prom.port", "9249-9260");
        // the checkpoint directory exists in the image, owned by the flink user (the volume takes its owner)
        assertThat(dockerfile()).anyMatch(l -> l.startsWith("RUN mkdir -p " + CHECKPOINTS));
    }

    @Test
    void theLocalClusterStartsFromTheSameFileOverridingOnlyAddressesPortsAndDirectories() throws Exception {
        Path shared = root.resolve(LocalFlinkCluster.SHARED_CONFIG);
        Path work = Files.createTempDirectory("compose-file-test");
        Map<String, Object> local = LocalFlinkCluster.builder().workDir(work).configFile(shared).restPort(0).build()
                .configuration();
        Map<String, Object> file = LocalFlinkCluster.readFlinkConfig(shared);
        file.forEach((key, value) -> {
            if (!LocalFlinkCluster.LOCAL_KEYS.contains(key)) {
                assertThat(local).as("the local cluster's %s", key).containsEntry(key, value);
            }
        });
        assertThat(String.valueOf(local.get("execution.checkpointing.dir"))).startsWith(work.toUri().toString());
        assertThat(String.valueOf(local.get("jobmanager.rpc.address"))).isEqualTo("127.0.0.1");
        Files.delete(work);
    }

    @Test
    void theHostFeedsKafkaThroughThePublishedListenerTheDocsName() throws IOException {
        Map<String, String> env = environment("kafka");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT_HOST://localhost:9094");
        assertThat(env.get("KAFKA_LISTENERS")).contains("PLAINTEXT_HOST://:9094");
        assertThat(strings(services.get("kafka").get("ports"))).containsExactly("127.0.0.1:9094:9094");
        assertThat(Files.readString(root.resolve("docs/deployment.md")))
                .contains("./vigil simulate --to kafka --bootstrap localhost:9094");
        // every published port is on the loopback interface only (Elasticsearch has no security here)
        services.forEach((name, s) -> strings(s.getOrDefault("ports", List.of()))
                .forEach(p -> assertThat(p).as("%s publishes %s", name, p).startsWith("127.0.0.1:")));
    }

    // ------------------------------------------------------------------ helpers

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("docker-compose.yml"))
                && Files.isRegularFile(dir.resolve("mvnw")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root (docker-compose.yml beside mvnw) above the working directory").isNotNull();
        return dir;
    }

    static boolean oneShot(String service) {
        return "no".equals(String.valueOf(services.get(service).get("restart")));
    }

    static Set<String> longRunning() {
        return services.keySet().stream().filter(s -> !oneShot(s)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Service → condition, from the short (list) or long (map) form of depends_on. */
    static Map<String, String> dependsOn(String service) {
        Object d = services.get(service).get("depends_on");
        Map<String, String> out = new LinkedHashMap<>();
        if (d instanceof List<?> list) {
            list.forEach(s -> out.put((String) s, "service_started"));
        } else if (d != null) {
            map(d, service + " depends_on").forEach((name, v) ->
                    out.put(name, String.valueOf(map(v, name).getOrDefault("condition", "service_started"))));
        }
        return out;
    }

    static String healthTest(String service) {
        return String.join(" ", strings(map(services.get(service).get("healthcheck"), service).get("test")));
    }

    static String image(String service) {
        Object image = services.get(service).get("image");
        assertThat(image).as("%s image", service).isInstanceOf(String.class);
        return (String) image;
    }

    static String tag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    static Map<String, String> environment(String service) {
        Object env = services.get(service).get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof List<?> list) {
            list.forEach(e -> {
                String[] kv = String.valueOf(e).split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : "");
            });
        } else if (env != null) {
            map(env, service + " environment").forEach((k, v) -> out.put(k, String.valueOf(v)));
        }
        return out;
    }

    /** FLINK_PROPERTIES as the Flink image's entrypoint reads it: one "key: value" per line. */
    static Map<String, String> flinkProperties(String service) {
        String text = environment(service).get("FLINK_PROPERTIES");
        assertThat(text).as("%s FLINK_PROPERTIES", service).isNotBlank();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                int colon = line.indexOf(':');
                assertThat(colon).as("FLINK_PROPERTIES line %s", line).isPositive();
                out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    /** Keys of the Flink options the stack may set (the classes that hold them). */
    static Set<String> flinkOptionKeys() throws IllegalAccessException {
        Set<String> keys = new HashSet<>();
        for (Class<?> c : List.of(CoreOptions.class, JobManagerOptions.class, TaskManagerOptions.class,
                CheckpointingOptions.class, StateBackendOptions.class, RestartStrategyOptions.class, RestOptions.class,
                HeartbeatManagerOptions.class)) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    keys.add(((ConfigOption<?>) f.get(null)).key());
                }
            }
        }
        return keys;
    }

    /**
     * The .dockerignore patterns that leave {@code path} out of the build context: a pattern
     * that matches the path or one of its parent directories ({@code **}{@code /x} also at the root).
     */
    static List<String> ignoredBy(List<String> patterns, String path) {
        List<String> hits = new ArrayList<>();
        Path p = Path.of(path);
        for (String pattern : patterns) {
            List<String> globs = new ArrayList<>(List.of(pattern));
            if (pattern.startsWith("**/")) {
                globs.add(pattern.substring(3));
            }
            for (int n = 1; n <= p.getNameCount(); n++) {
                Path prefix = p.subpath(0, n);
                if (globs.stream().anyMatch(g -> FileSystems.getDefault().getPathMatcher("glob:" + g).matches(prefix))) {
                    hits.add(pattern);
                    break;
                }
            }
        }
        return hits;
    }

    /** Mount target → source (a path such as ./deploy/… or a volume name). */
    static Map<String, String> mountTargets(String service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String volume : strings(services.get(service).getOrDefault("volumes", List.of()))) {
            String[] parts = volume.split(":");
            out.put(parts[1], parts[0]);
        }
        return out;
    }

    /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
    static List<String> dockerfile() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(root.resolve("deploy/docker/Dockerfile"))) {
            String line = raw.strip();
            if (line.startsWith("#") && current.length() == 0) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                out.add(current.toString().strip().replaceAll("\\s+", " "));
            }
            current.setLength(0);
        }
        return out;
    }

    static Map<String, String> dockerfileArgs() throws IOException {
        Map<String, String> args = new LinkedHashMap<>();
        for (String line : dockerfile()) {
            if (line.startsWith("ARG ") && line.contains("=")) {
                String[] kv = line.substring(4).split("=", 2);
                args.put(kv[0].strip(), kv[1].strip());
            }
        }
        return args;
    }

    static Map<String, String> pomProperties(Path pomFile) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = factory.newDocumentBuilder().parse(pomFile.toFile());
        Element properties = (Element) doc.getDocumentElement().getElementsByTagName("properties").item(0);
        Map<String, String> out = new LinkedHashMap<>();
        var children = properties.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e) {
                out.put(e.getTagName(), e.getTextContent().strip());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        assertThat(o).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    static List<String> strings(Object o) {
        if (o instanceof String s) {
            return List.of(s);
        }
        assertThat(o).isInstanceOf(List.class);
        return ((List<?>) o).stream().map(String::valueOf).toList();
    }
}
