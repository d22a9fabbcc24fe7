package io.vigil.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (one process acting as broker and controller),
 * run inside this JVM from the {@code kafka_2.13} server classes, for tests and for the demo.
 *
 * <p>It listens on free loopback ports, keeps its logs in a temporary directory, formats that
 * storage with a random cluster id the way {@code kafka-storage.sh format} does, and removes the
 * directory again on {@link #close()}. No ZooKeeper, no replication: every internal topic has
 * one replica and one partition, so it starts in a few seconds.
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.start()) {
 *     kafka.createTopics(1, "raw.syslog");
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafka implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int brokerPort;
    private final Properties props;
    private KafkaRaftServer server;
    /** The SASL_SSL listener's port, 0 without one ({@link #startSecured}). */
    private int securedPort;
    private boolean closed;

    private LocalKafka(Path dir, int brokerPort, Properties props, KafkaRaftServer server) {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.props = props;
        this.server = server;
    }

    /** Starts a broker with default settings and waits until it answers. */
    public static LocalKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @param overrides broker settings applied over the defaults (for example
     *     {@code log.retention.ms}); listeners and directories are chosen here
     */
    public static LocalKafka start(Map<String, String> overrides) {
        return start(overrides, null);
    }

    /**
     * A TLS listener with SASL logins, beside the plaintext one ({@link #bootstrapServers()},
     * for the test's own clients): what a secured production cluster offers its clients.
     *
     * @param keystore PKCS12 store with the broker's key pair and certificate (for 127.0.0.1)
     * @param keystorePassword its password (the key's too)
     * @param mechanism {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     * @param users user name to password, stored as SCRAM credentials when the storage is formatted
     */
    public record SecuredListener(Path keystore, String keystorePassword, String mechanism, Map<String, String> users) {

        public SecuredListener {
            if (!mechanism.startsWith("SCRAM-SHA-")) {
                throw new IllegalArgumentException("a SCRAM mechanism is expected, got " + mechanism);
            }
            users = Map.copyOf(users);
        }
    }

    /**
     * Starts a broker that also listens with SASL_SSL ({@link #securedBootstrapServers()}), its
     * users' SCRAM credentials stored at format time ({@code kafka-storage format --add-scram}).
     */
    public static LocalKafka startSecured(SecuredListener listener) {
        return start(Map.of(), listener);
    }

    /** {@code 127.0.0.1:<port>} of the SASL_SSL listener of {@link #startSecured}. */
    public String securedBootstrapServers() {
        if (securedPort == 0) {
            throw new IllegalStateException("this broker has no secured listener: start it with startSecured");
        }
        return "127.0.0.1:" + securedPort;
    }

    private static LocalKafka start(Map<String, String> overrides, SecuredListener secured) {
        Path dir;
        try {
            dir = Files.createTempDirectory("vigil-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the local Kafka broker", e);
        }
        KafkaRaftServer server = null;
        try {
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = brokerProperties(dir, brokerPort, controllerPort);
            int securedPort = secured == null ? 0 : freePort();
            List<String> formatArgs = new ArrayList<>();
            if (secured != null) {
                secure(props, secured, securedPort);
                secured.users().forEach((user, password) -> formatArgs.addAll(List.of("--add-scram",
                        secured.mechanism() + "=[name=" + user + ",password=" + password + "]")));
            }
            props.putAll(overrides);
            Path config = dir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                props.store(out, "Vigil local KRaft broker");
            }
            format(config, formatArgs);
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            LocalKafka kafka = new LocalKafka(dir, brokerPort, props, server);
            kafka.securedPort = securedPort;
            kafka.awaitReady();
            return kafka;
        } catch (RuntimeException | IOException e) {
            if (server != null) {
                try {
                    server.shutdown();
                } catch (RuntimeException ignored) {
                    // already failing
                }
            }
            deleteRecursively(dir);
            throw new IllegalStateException("the local Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Creates the topics (those that already exist are left as they are) and waits for them. */
    public void createTopics(int partitions, String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        try (Admin admin = admin()) {
            for (var entry : admin.createTopics(newTopics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("topic creation timed out", e);
        }
    }

    /** Creates topics with one partition each. */
    public void createTopics(String... topics) {
        createTopics(1, topics);
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    /**
     * Stops the broker and starts it again in this JVM on the same data directory, listeners and
     * ports (what a broker restart does to its clients), and waits until it answers. Records,
     * topics and committed offsets survive, as on a broker restarted by its operator.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        server.shutdown();
        server.awaitShutdown();
        server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    /** Stops the broker and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteRecursively(dir);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the broker did not answer within " + READY_TIMEOUT, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker registered no node within " + READY_TIMEOUT);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private static Properties brokerProperties(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        // Records carry their event time as timestamp, and replayed or simulated events are often
        // older than the default 7-day retention: the first retention check (30 s after start)
        // would delete them before they are read. A local broker keeps everything.
        p.put("log.retention.ms", "-1");
        return p;
    }

    /** The SASL_SSL listener named SECURED: TLS with the given key, SCRAM logins. */
    private static void secure(Properties p, SecuredListener secured, int port) {
        String prefix = "listener.name.secured.";
        p.put("listeners", p.get("listeners") + ",SECURED://127.0.0.1:" + port);
        p.put("advertised.listeners", p.get("advertised.listeners") + ",SECURED://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", p.get("listener.security.protocol.map") + ",SECURED:SASL_SSL");
        p.put(prefix + "sasl.enabled.mechanisms", secured.mechanism());
        p.put(prefix + secured.mechanism().toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put(prefix + "ssl.keystore.type", "PKCS12");
        p.put(prefix + "ssl.keystore.location", secured.keystore().toString());
        p.put(prefix + "ssl.keystore.password", secured.keystorePassword());
        p.put(prefix + "ssl.key.password", secured.keystorePassword());
    }

    /** What {@code kafka-storage.sh format -t <random id> -c server.properties [more]} does. */
    private static void format(Path config, List<String> more) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code;
        List<String> args = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()));
        args.addAll(more);
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(args.toArray(String[]::new), out);
        }
        if (code != 0) {
            throw new IllegalStateException(
                    "formatting the KRaft storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory is not worth failing a shutdown
        }
    }
}
