package io.vigil.connectors.kafka;

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
 * <p>Secrets are never held here: {@code passwordEnv} and {@code truststorePasswordEnv} name the
 * environment variables that hold them, read only when {@link #toProperties()} builds the client
 * properties. {@link #toString()} shows no secret either.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param securityProtocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 * @param saslMechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} for the SASL
 *     protocols, otherwise {@code null}
 * @param username the SASL user, for the SASL protocols
 * @param passwordEnv name of the environment variable holding the SASL password
 * @param truststorePath a truststore file for TLS, or {@code null} for the JVM's default trust
 * @param truststorePasswordEnv name of the environment variable holding the truststore password,
 *     or {@code null}
 */
public record KafkaSettings(
        String bootstrapServers,
        String securityProtocol,
        String saslMechanism,
        String username,
        String passwordEnv,
        String truststorePath,
        String truststorePasswordEnv)
        implements Serializable {

    public static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    public static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

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

    /** The same cluster with a SASL login ({@code SASL_SSL} if TLS is set, else {@code SASL_PLAINTEXT}). */
    public KafkaSettings withSasl(String mechanism, String user, String passwordEnvName) {
        String protocol = "SSL".equals(securityProtocol) || "SASL_SSL".equals(securityProtocol)
                ? "SASL_SSL"
                : "SASL_PLAINTEXT";
        return new KafkaSettings(
                bootstrapServers, protocol, mechanism, user, passwordEnvName, truststorePath, truststorePasswordEnv);
    }

    /** The same cluster over TLS ({@code SSL}, or {@code SASL_SSL} with a SASL login). */
    public KafkaSettings withTls(String truststore, String truststorePasswordEnvName) {
        String protocol = securityProtocol.startsWith("SASL") ? "SASL_SSL" : "SSL";
        return new KafkaSettings(
                bootstrapServers, protocol, saslMechanism, username, passwordEnv, truststore, truststorePasswordEnvName);
    }

    /** Checks the settings against the process environment; throws with every problem found. */
    public KafkaSettings validate() {
        return validate(System::getenv);
    }

    /** Checks the settings, reading environment variables through {@code env}. */
    public KafkaSettings validate(UnaryOperator<String> env) {
        List<String> problems = problems(env);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid Kafka settings: " + String.join("; ", problems));
        }
        return this;
    }

    private List<String> problems(UnaryOperator<String> env) {
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
            if (passwordEnv == null || passwordEnv.isBlank()) {
                problems.add("security protocol " + securityProtocol
                        + " needs the NAME of the environment variable holding the SASL password");
            } else if (env.apply(passwordEnv) == null) {
                problems.add("environment variable " + passwordEnv + " (the SASL password) is not set");
            }
        } else if (saslMechanism != null || username != null || passwordEnv != null) {
            problems.add("a SASL login is given but security protocol " + securityProtocol
                    + " does not use it: choose SASL_PLAINTEXT or SASL_SSL");
        }
        if (truststorePath != null) {
            if (!tls) {
                problems.add("a truststore is given but security protocol " + securityProtocol
                        + " does not use TLS: choose SSL or SASL_SSL");
            } else if (!Files.isReadable(Path.of(truststorePath))) {
                problems.add("truststore " + truststorePath + " does not exist or is not readable");
            }
        }
        if (truststorePasswordEnv != null && env.apply(truststorePasswordEnv) == null) {
            problems.add("environment variable " + truststorePasswordEnv + " (the truststore password) is not set");
        }
        return problems;
    }

    /** Client properties for consumers, producers and admin clients, secrets read from the environment. */
    public Properties toProperties() {
        return toProperties(System::getenv);
    }

    /** Client properties, reading environment variables through {@code env}. */
    public Properties toProperties(UnaryOperator<String> env) {
        validate(env);
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers.trim());
        p.setProperty("security.protocol", securityProtocol);
        if (securityProtocol.startsWith("SASL")) {
            p.setProperty("sasl.mechanism", saslMechanism);
            String module = "PLAIN".equals(saslMechanism)
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.setProperty("sasl.jaas.config", module + " required username=\"" + jaasQuote(username)
                    + "\" password=\"" + jaasQuote(env.apply(passwordEnv)) + "\";");
        }
        if (truststorePath != null) {
            p.setProperty("ssl.truststore.location", truststorePath);
            if (truststorePasswordEnv != null) {
                p.setProperty("ssl.truststore.password", env.apply(truststorePasswordEnv));
            }
        }
        return p;
    }

    @Override
    public String toString() {
        return "KafkaSettings[" + bootstrapServers + ", " + securityProtocol
                + (saslMechanism == null ? "" : ", " + saslMechanism + " as " + username + ", password from $" + passwordEnv)
                + (truststorePath == null ? "" : ", truststore " + truststorePath) + "]";
    }

    private static String jaasQuote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().toList().toString();
    }
}
