package io.vigil.cli.triage;

import io.vigil.connectors.elasticsearch.ElasticsearchIdentity;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who takes a triage action, as the audit log records it: the identity the cluster authenticated,
 * or, on a cluster without security, the name the analyst gave, marked unverified.
 *
 * @param name the analyst
 * @param verified whether Elasticsearch authenticated this name
 * @param authentication how the cluster authenticated it ({@code realm:NAME}, {@code api_key:NAME}),
 *     or {@code null} when it did not
 */
public record Actor(String name, boolean verified, String authentication) {

    public Actor {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an actor needs a name");
        }
    }

    /** Environment variable naming the analyst on a cluster without security. */
    public static final String ANALYST_ENV = "VIGIL_ANALYST";

    /** The name an analyst acts under when none is given, on a cluster without security: $VIGIL_ANALYST, else the login name. */
    public static String defaultName(Function<String, String> env) {
        String named = env.apply(ANALYST_ENV);
        return named == null || named.isBlank() ? System.getProperty("user.name") : named;
    }

    /** A name nobody verified: what a cluster without security leaves. */
    public static Actor unverified(String name) {
        return new Actor(name, false, null);
    }

    /** The identity the cluster authenticated. */
    public static Actor authenticated(ElasticsearchIdentity identity) {
        return new Actor(identity.username(), true, identity.authentication());
    }

    /**
     * The actor of a command.
     *
     * @param identity what the cluster says the credentials are; empty when it has no security
     * @param claimed the name the analyst gave ({@code --as}), or {@code null}
     * @param fallback the name to use when none is given and the cluster has no security
     *     ({@code $VIGIL_ANALYST}, else the login name), or {@code null}
     * @throws IncidentTriage.TriageException when the cluster authenticated someone else than the
     *     name given, or when there is no name at all
     */
    public static Actor of(Optional<ElasticsearchIdentity> identity, String claimed, String fallback)
            throws IncidentTriage.TriageException {
        if (identity.isPresent()) {
            String user = identity.get().username();
            if (claimed != null && !claimed.equals(user)) {
                throw new IncidentTriage.TriageException("--as " + claimed + " is refused: Elasticsearch authenticates "
                        + "these credentials as " + user + ", and the action is recorded as theirs (leave out --as)");
            }
            return authenticated(identity.get());
        }
        String name = claimed != null ? claimed : fallback;
        if (name == null || name.isBlank()) {
            throw new IncidentTriage.TriageException("say who acts (--as USER)");
        }
        return unverified(name);
    }
}
