package io.vigil.connectors.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Logs in to the Kafka cluster once, before a job is submitted, so a refused password or an
 * untrusted broker certificate stops the start with an error that names the user, the mechanism
 * and where the password came from, never the password.
 */
public final class KafkaLogin {

    private KafkaLogin() {}

    /**
     * Asks the cluster for its id with the settings' login, secrets read through {@code env}.
     *
     * @throws IOException saying what was refused and what to check
     */
    public static void check(KafkaSettings settings, UnaryOperator<String> env, Duration timeout) throws IOException {
        Properties p = settings.toProperties(env);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        String where = "Kafka at " + settings.bootstrapServers();
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw explain(settings, where, e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("cannot reach " + where + " within " + timeout + " (" + settings.securityProtocol()
                    + "); check kafka.bootstrap-servers and kafka.security-protocol", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while logging in to " + where, e);
        }
    }

    /** {@code cause} as an error that says what was refused; other errors as they are, wrapped. */
    static IOException explain(KafkaSettings settings, String where, Throwable cause) {
        if (cause instanceof SaslAuthenticationException) {
            return new IOException(where + " refused the " + settings.login() + ": " + cause.getMessage()
                    + "; check the password, and that the user has credentials for " + settings.saslMechanism(), cause);
        }
        if (cause instanceof SslAuthenticationException) {
            return new IOException(where + ": the TLS handshake failed (" + cause.getMessage() + "); "
                    + (settings.truststorePath() == null
                            ? "give the truststore holding the broker's CA with kafka.truststore"
                            : "is the broker's certificate signed by a CA in " + settings.truststorePath()
                                    + ", and issued for this host?"), cause);
        }
        return new IOException(where + ": " + cause, cause);
    }
}
