package io.vigil.connectors.kafka;

import io.vigil.connectors.secret.Secret;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How to reach a Kafka cluster: bootstrap servers, security protocol, SASL login and TLS trust.
 *
 * <p>Secrets are never held here: {@code password} and {@code truststorePassword} name the
 * environment variable or the file that holds them ({@link Secret}). The properties a Flink
 * source or sink carries in the job graph ({@link #toProperties()}) hold only references that the
 * Kafka client resolves when it is created, on the JobManager (the source's enumerator) and the
 * TaskManagers (readers and writers), through Vigil's Kafka config providers: {@code ${vigilenv:NAME:value}}
 * ({@link SecretEnvConfigProvider}) and {@code ${vigilfile:PATH:value}} ({@link SecretFileConfigProvider});
 * inside {@code sasl.jaas.config} key {@code jaas}, which resolves to the password quoted for JAAS.
 * {@link #toString()} shows no secret either.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param securityProtocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 * @param saslMechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} for the SASL
 *     protocols, otherwise {@code null}
 * @param username the SASL user, for the SASL protocols
 * @param password where the SASL password is, for the SASL protocols
 * @param truststorePath a truststore file for TLS, or {@code null} for the JVM's default trust
 * @param truststorePassword where the truststore password is, or {@code null}
 */
public record KafkaSettings(
        String bootstrapServers,
        String securityProtocol,
        String saslMechanism,
        String username,
        Secret password,
        String truststorePath,
        Secret truststorePassword)
        implements Serializable {

    public static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    public static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    /** The config providers the job's properties name, and their classes. */
    static final String PROVIDERS = SecretEnvConfigProvider.NAME + "," + SecretFileConfigProvider.NAME;

    public KafkaSettings {
        securityProtocol = securityProtocol == null || securityProtocol.isBlank()
                ? "PLAINTEXT"
                : securityProtocol.trim().toUpperCase(Locale.ROOT);
        saslMechanism = saslMechanism == null || saslMechanism.isBlank()
                ? null
                : saslMechanism.trim().toUpperCase(Locale.ROOT);
    }

    /** An unauthenticated, unencrypted connection. */
    public static KafkaSettings plaintext(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, "PLAINTEXT", null, null, null, null, null);
    }

    /** The same cluster with a SASL login, the password in environment variable {@code passwordEnvName}. */
    public KafkaSettings withSasl(String mechanism, String user, String passwordEnvName) {
        return withSasl(mechanism, user, Secret.env(passwordEnvName));
    }

    /** The same cluster with a SASL login ({@code SASL_SSL} if TLS is set, else {@code SASL_PLAINTEXT}). */
    public KafkaSettings withSasl(String mechanism, String user, Secret passwordSource) {
        String protocol = "SSL".equals(securityProtocol) || "SASL_SSL".equals(securityProtocol)
                ? "SASL_SSL"
                : "SASL_PLAINTEXT";
        return new KafkaSettings(
                bootstrapServers, protocol, mechanism, user, passwordSource, truststorePath, truststorePassword);
    }

    /** The same cluster over TLS, the truststore password in environment variable {@code truststorePasswordEnvName}. */
    public KafkaSettings withTls(String truststore, String truststorePasswordEnvName) {
        return withTls(truststore, truststorePasswordEnvName == null ? null : Secret.env(truststorePasswordEnvName));
    }

    /** The same cluster over TLS ({@code SSL}, or {@code SASL_SSL} with a SASL login). */
    public KafkaSettings withTls(String truststore, Secret truststorePasswordSource) {
        String protocol = securityProtocol.startsWith("SASL") ? "SASL_SSL" : "SSL";
        return new KafkaSettings(
                bootstrapServers, protocol, saslMechanism, username, password, truststore, truststorePasswordSource);
    }

    /** Checks the settings; throws with every problem found. */
    public KafkaSettings validate() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid Kafka settings: " + String.join("; ", problems));
        }
        return this;
    }

    /**
     * Checks the settings and that this process can read the secrets through {@code env}: what a
     * client made here needs ({@link #toProperties(UnaryOperator)}).
     */
    public KafkaSettings validate(UnaryOperator<String> env) {
        List<String> problems = problems();
        problems.addAll(unavailable(env));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid Kafka settings: " + String.join("; ", problems));
        }
        return this;
    }

    /**
     * What a job built here should warn about, never fail on: secrets or a truststore this process
     * cannot read (the cluster's processes read them, and may have them when the machine that
     * submits has not), and a password sent in clear ({@code SASL_PLAINTEXT}).
     */
    public List<String> warnings(UnaryOperator<String> env) {
        List<String> warnings = new ArrayList<>();
        for (String missing : unavailable(env)) {
            warnings.add("Kafka: " + missing + " here; the JobManager and every TaskManager must have it");
        }
        if ("SASL_PLAINTEXT".equals(securityProtocol) && saslMechanism != null) {
            warnings.add("Kafka: the SASL " + saslMechanism + " login of user '" + username + "' travels without TLS "
                    + "(security protocol SASL_PLAINTEXT)" + ("PLAIN".equals(saslMechanism)
                            ? ": the password itself is readable on the network" : "")
                    + "; use SASL_SSL");
        }
        return warnings;
    }

    /** Whether this process can read the secrets and the truststore: what a client made here needs. */
    public boolean readableHere(UnaryOperator<String> env) {
        return unavailable(env).isEmpty();
    }

    private List<String> unavailable(UnaryOperator<String> env) {
        List<String> out = new ArrayList<>();
        if (password != null && securityProtocol.startsWith("SASL")) {
            String why = password.unavailable(env, "the SASL password");
            if (why != null) {
                out.add(why);
            }
        }
        if (truststorePath != null && securityProtocol.endsWith("SSL") && !Files.isReadable(Path.of(truststorePath))) {
            out.add("truststore " + truststorePath + " does not exist or is not readable");
        }
        if (truststorePassword != null) {
            String why = truststorePassword.unavailable(env, "the truststore password");
            if (why != null) {
                out.add(why);
            }
        }
        return out;
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add("bootstrap servers are missing: give host:port[,host:port...]");
        } else {
            for (String server : bootstrapServers.split(",")) {
                String s = server.trim();
                int colon = s.lastIndexOf(':');
                if (colon <= 0 || colon == s.length() - 1 || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                    problems.add("bootstrap server '" + s + "' is not host:port");
                }
            }
        }
        if (!PROTOCOLS.contains(securityProtocol)) {
            problems.add("security protocol '" + securityProtocol + "' is not one of " + sorted(PROTOCOLS));
            return problems;
        }
        boolean sasl = securityProtocol.startsWith("SASL");
        boolean tls = securityProtocol.endsWith("SSL");
        if (sasl) {
            if (saslMechanism == null) {
                problems.add("security protocol " + securityProtocol + " needs a SASL mechanism: one of "
                        + sorted(MECHANISMS));
            } else if (!MECHANISMS.contains(saslMechanism)) {
                problems.add("SASL mechanism '" + saslMechanism + "' is not one of " + sorted(MECHANISMS));
            }
            if (username == null || username.isBlank()) {
                problems.add("security protocol " + securityProtocol + " needs a SASL username");
            }
            if (password == null) {
                problems.add("security protocol " + securityProtocol
                        + " needs the SASL password: the NAME of the environment variable holding it, or a file");
            }
        } else if (saslMechanism != null || username != null || password != null) {
            problems.add("a SASL login is given but security protocol " + securityProtocol
                    + " does not use it: choose SASL_PLAINTEXT or SASL_SSL");
        }
        if (truststorePath != null && !tls) {
            problems.add("a truststore is given but security protocol " + securityProtocol
                    + " does not use TLS: choose SSL or SASL_SSL");
        }
        if (truststorePassword != null && truststorePath == null) {
            problems.add("a truststore password is given but no truststore");
        }
        for (Secret s : new Secret[] {password, truststorePassword}) {
            if (s == null) {
                continue;
            }
            String what = s == password ? "the SASL password" : "the truststore password";
            String path = s.pathProblem(what);
            if (path != null) {
                problems.add(path);
            }
            if (s.name().indexOf(':') >= 0 || s.name().indexOf('}') >= 0) {
                // the Kafka client reads it through ${vigilfile:PATH:key} / ${vigilenv:NAME:key}
                problems.add(what + ": " + s.describe() + " has a ':' or '}', which a Kafka config provider "
                        + "reference cannot carry");
            }
        }
        return problems;
    }

    /**
     * Client properties for the job's sources and sinks: the secrets as references the Kafka client
     * resolves where it is created ({@code ${vigilenv:NAME:value}}, {@code ${vigilfile:PATH:value}}, key {@code jaas} in {@code sasl.jaas.config}), never
     * their values, so nothing secret travels in the job graph.
     */
    public Properties toProperties() {
        validate();
        return properties(true, secret -> reference(secret, SecretConfigProvider.KEY));
    }

    /** Client properties with the secrets' values, read through {@code env}: for clients made in this process. */
    public Properties toProperties(UnaryOperator<String> env) {
        validate(env);
        return properties(false, secret -> secret.read(env, "a Kafka secret"));
    }

    private Properties properties(boolean references, java.util.function.Function<Secret, String> value) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers.trim());
        p.setProperty("security.protocol", securityProtocol);
        if (securityProtocol.startsWith("SASL")) {
            p.setProperty("sasl.mechanism", saslMechanism);
            String module = "PLAIN".equals(saslMechanism)
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            // a reference resolves to the password already quoted for JAAS (key jaas)
            String pw = references ? reference(password, SecretConfigProvider.JAAS)
                    : SecretConfigProvider.jaasQuote(value.apply(password));
            p.setProperty("sasl.jaas.config", module + " required username=\"" + SecretConfigProvider.jaasQuote(username)
                    + "\" password=\"" + pw + "\";");
        }
        if (truststorePath != null) {
            p.setProperty("ssl.truststore.location", truststorePath);
            if (truststorePassword != null) {
                p.setProperty("ssl.truststore.password", value.apply(truststorePassword));
            }
        }
        if (references && (password != null || truststorePassword != null)) {
            p.setProperty("config.providers", PROVIDERS);
            p.setProperty("config.providers." + SecretEnvConfigProvider.NAME + ".class",
                    SecretEnvConfigProvider.class.getName());
            p.setProperty("config.providers." + SecretFileConfigProvider.NAME + ".class",
                    SecretFileConfigProvider.class.getName());
        }
        return p;
    }

    /** The reference Kafka's config providers resolve to the secret. */
    private static String reference(Secret secret, String key) {
        return "${" + (secret.kind() == Secret.Kind.ENV ? SecretEnvConfigProvider.NAME : SecretFileConfigProvider.NAME)
                + ":" + secret.name() + ":" + key + "}";
    }

    /** {@code SCRAM-SHA-512 as user 'vigil', password from $VAR}: for errors, never the password. */
    public String login() {
        return saslMechanism == null ? "no SASL login"
                : saslMechanism + " login of user '" + username + "' (password from " + password.describe() + ")";
    }

    @Override
    public String toString() {
        return "KafkaSettings[" + bootstrapServers + ", " + securityProtocol
                + (saslMechanism == null ? "" : ", " + saslMechanism + " as " + username + ", password from "
                        + password.describe())
                + (truststorePath == null ? "" : ", truststore " + truststorePath) + "]";
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().toList().toString();
    }
}
