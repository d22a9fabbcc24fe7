package io.vigil.cli.kibana;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code Authorization} header for Kibana, built from environment variables only: an API key
 * ({@code ApiKey <key>}) or a user name and password ({@code Basic ...}). The command line names
 * the variables, never the secrets.
 */
public final class KibanaCredentials {

    private final String apiKeyEnv;
    private final String usernameEnv;
    private final String passwordEnv;

    /**
     * @param apiKeyEnv variable holding an API key (its encoded form), or null
     * @param usernameEnv variable holding the user name, or null; given with {@code passwordEnv}
     * @param passwordEnv variable holding the password, or null; given with {@code usernameEnv}
     */
    public KibanaCredentials(String apiKeyEnv, String usernameEnv, String passwordEnv) {
        if (apiKeyEnv != null && (usernameEnv != null || passwordEnv != null)) {
            throw new IllegalArgumentException("give either an API key or a user name and password, not both");
        }
        if ((usernameEnv == null) != (passwordEnv == null)) {
            throw new IllegalArgumentException("a user name and a password go together: give both variables");
        }
        this.apiKeyEnv = apiKeyEnv;
        this.usernameEnv = usernameEnv;
        this.passwordEnv = passwordEnv;
    }

    /** The header value, empty when no credentials were asked for. */
    public Optional<String> authorization(Function<String, String> environment) throws KibanaException {
        if (apiKeyEnv != null) {
            return Optional.of("ApiKey " + required(environment, apiKeyEnv));
        }
        if (usernameEnv != null) {
            String pair = required(environment, usernameEnv) + ":" + required(environment, passwordEnv);
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    private static String required(Function<String, String> environment, String name) throws KibanaException {
        String value = environment.apply(name);
        if (value == null || value.isEmpty()) {
            throw new KibanaException("environment variable " + name + " is not set (it was named as the source "
                    + "of a Kibana credential)");
        }
        return value;
    }
}
