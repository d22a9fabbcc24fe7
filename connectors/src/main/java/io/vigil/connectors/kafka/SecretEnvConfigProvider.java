package io.vigil.connectors.kafka;

import io.vigil.connectors.secret.Secret;

/**
 * A Kafka config provider for secrets in environment variables: {@code ${vigilenv:KAFKA_PW:value}}
 * is the variable's value, {@code ${vigilenv:KAFKA_PW:jaas}} the value quoted for a JAAS option.
 * Unlike Kafka's {@code EnvVarConfigProvider}, which leaves the reference itself as the value, a
 * variable that is not set (or empty) on the process fails the client's creation with a
 * {@code ConfigException} naming it.
 */
public final class SecretEnvConfigProvider extends SecretConfigProvider {

    /** The name {@link KafkaSettings} registers this provider under. */
    public static final String NAME = "vigilenv";

    @Override
    String name() {
        return NAME;
    }

    @Override
    Secret secret(String variable) {
        return Secret.env(variable);
    }
}
