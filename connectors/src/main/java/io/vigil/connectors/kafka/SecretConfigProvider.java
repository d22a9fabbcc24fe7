package io.vigil.connectors.kafka;

import io.vigil.connectors.secret.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * A Kafka {@link ConfigProvider} resolving {@code ${NAME:WHERE:KEY}} to a {@link Secret}: key
 * {@value #KEY} is the value as it is, key {@value #JAAS} the value quoted for the inside of a
 * double-quoted JAAS option ({@code password="${vigilenv:KAFKA_PW:jaas}"}), so a password with
 * {@code "}, {@code \} or a line break survives the client's JAAS parsing.
 *
 * <p>An unreadable secret throws a {@link ConfigException} naming the variable or file, never the
 * value, where Kafka's own providers would leave the reference in place as the password.
 */
abstract class SecretConfigProvider implements ConfigProvider {

    /** The key of the value as it is. */
    public static final String KEY = "value";
    /** The key of the value quoted for a JAAS option. */
    public static final String JAAS = "jaas";

    /** The provider's name in references. */
    abstract String name();

    /** The secret {@code where} names: a variable or a file. */
    abstract Secret secret(String where);

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }

    @Override
    public ConfigData get(String where) {
        return get(where, Set.of(KEY));
    }

    @Override
    public ConfigData get(String where, Set<String> keys) {
        if (where == null || where.isEmpty()) {
            return new ConfigData(Map.of());
        }
        Map<String, String> data = new HashMap<>();
        for (String key : keys) {
            if (!KEY.equals(key) && !JAAS.equals(key)) {
                throw new ConfigException("${" + name() + ":" + where + ":" + key + "}: the keys of a secret are "
                        + KEY + " and " + JAAS);
            }
            Secret secret = secret(where);
            String value;
            try {
                value = secret.read("a Kafka secret");
            } catch (IllegalStateException e) {
                throw new ConfigException(e.getMessage() + (secret.kind() == Secret.Kind.ENV ? " on this process" : ""));
            }
            data.put(key, JAAS.equals(key) ? jaasQuote(value) : value);
        }
        return new ConfigData(data);
    }

    @Override
    public void close() {
        // nothing held
    }

    /** {@code s} for the inside of a double-quoted JAAS option: {@code \}, {@code "} and line breaks escaped. */
    static String jaasQuote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
