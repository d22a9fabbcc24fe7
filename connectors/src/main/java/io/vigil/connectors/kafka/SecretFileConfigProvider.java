package io.vigil.connectors.kafka;

import io.vigil.connectors.secret.Secret;

/**
 * A Kafka config provider for secrets kept alone in a file, as Vigil reads every secret file
 * ({@link Secret}: trailing line breaks dropped): {@code ${vigilfile:/run/secrets/kafka-password:value}}
 * is the file's content, {@code ${vigilfile:/run/secrets/kafka-password:jaas}} the content quoted for
 * a JAAS option. Kafka's own {@code FileConfigProvider} wants a properties file and its
 * {@code DirectoryConfigProvider} keeps the final line break, which a password must not have.
 *
 * <p>The client resolves the reference when it is created: on the TaskManager, for the job's
 * readers and writers, so the password is never in the job graph.
 */
public final class SecretFileConfigProvider extends SecretConfigProvider {

    /** The name {@link KafkaSettings} registers this provider under. */
    public static final String NAME = "vigilfile";

    @Override
    String name() {
        return NAME;
    }

    @Override
    Secret secret(String path) {
        return Secret.file(path);
    }
}
