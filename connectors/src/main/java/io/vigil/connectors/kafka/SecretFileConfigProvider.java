package io.vigil.connectors.kafka;

import io.vigil.connectors.secret.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * A Kafka {@link ConfigProvider} for secrets kept alone in a file, as Vigil reads every secret file
 * ({@link Secret}: trailing line breaks dropped): {@code ${vigilfile:/run/secrets/kafka-password:value}}
 * is the file's content. Kafka's own {@code FileConfigProvider} wants a properties file and its
 * {@code DirectoryConfigProvider} keeps the final line break, which a password must not have.
 *
 * <p>The client resolves the reference when it is created: on the TaskManager, for the job's
 * readers and writers, so the password is never in the job graph.
 */
public final class SecretFileConfigProvider implements ConfigProvider {

    /** The name {@link KafkaSettings} registers this provider under. */
    public static final String NAME = "vigilfile";
    /** The only key of a file: its content. */
    public static final String KEY = "value";

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }

    @Override
    public ConfigData get(String path) {
        return get(path, Set.of(KEY));
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        if (path == null || path.isEmpty()) {
            return new ConfigData(Map.of());
        }
        Map<String, String> data = new HashMap<>();
        for (String key : keys) {
            if (!KEY.equals(key)) {
                throw new ConfigException("${" + NAME + ":" + path + ":" + key + "}: the only key of a secret file is "
                        + KEY);
            }
            try {
                data.put(key, Secret.file(path).read("a Kafka secret"));
            } catch (IllegalStateException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        return new ConfigData(data);
    }

    @Override
    public void close() {
        // nothing held
    }
}
