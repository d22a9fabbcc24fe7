package io.vigil.jobs.wiring;

import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.connectors.secret.Secret;
import io.vigil.connectors.webhook.WebhookTarget;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.webhook.WebhookRoute;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What a configuration's connections do that an operator should know before the job runs, as
 * warnings, never errors: credentials that would travel in clear, and secrets this process cannot
 * read (the cluster's processes read them, and the machine that submits may lack them).
 *
 * <p>In clear means: a SASL login over {@code SASL_PLAINTEXT}, Elasticsearch credentials over
 * {@code http://}, a webhook whose credentials (headers from {@code header-env}, or a URL from
 * {@code url-env}) go over {@code http://}; except when every host is a loopback one
 * ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}: the traffic never leaves the machine).
 * Names are not resolved: any other name counts as remote.
 */
public final class TransportSecurity {

    private TransportSecurity() {}

    /** The warnings of {@code config}, secrets looked up through {@code env}; empty when there is nothing to say. */
    public static List<String> warnings(VigilConfig config, UnaryOperator<String> env) {
        List<String> out = new ArrayList<>();
        KafkaSettings kafka = Connections.kafka(config);
        boolean kafkaLocal = true;
        for (String server : kafka.bootstrapServers().split(",")) {
            String s = server.trim();
            kafkaLocal &= loopback(s.substring(0, Math.max(0, s.lastIndexOf(':'))));
        }
        for (String w : kafka.warnings(env)) {
            if (!(kafkaLocal && w.contains("travels without TLS"))) {
                out.add(w);
            }
        }
        ElasticsearchConnection es = ElasticsearchAccess.of(config, null, null, env::apply).connection();
        if (es.hasCredentials()) {
            for (String url : es.urls()) {
                URI u = URI.create(url);
                if ("http".equalsIgnoreCase(u.getScheme()) && !loopback(u.getHost())) {
                    out.add("Elasticsearch: " + es.credentialsSource() + " travels without TLS to " + url
                            + "; use https://");
                }
            }
            String missing = es.credentialsUnavailable(env::apply);
            if (missing != null) {
                out.add("Elasticsearch: " + missing + " here; every TaskManager must have it");
            }
        }
        // Kafka refuses a relative secret path (its config providers read it on every TaskManager);
        // Elasticsearch and webhook secrets read in this process work locally, so they earn a warning
        relativePath(out, config.get(VigilOptions.ES_API_KEY_FILE), VigilOptions.ES_API_KEY_FILE.key());
        relativePath(out, config.get(VigilOptions.ES_PASSWORD_FILE), VigilOptions.ES_PASSWORD_FILE.key());
        for (WebhookRoute r : config.webhooks()) {
            WebhookTarget t = r.target();
            relativePath(out, t.secretFile(), "webhook '" + t.name() + "' secret-file");
            String url = t.url() != null ? t.url() : env.apply(t.urlEnv());
            if (url == null) {
                continue;
            }
            URI u;
            try {
                u = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                continue;
            }
            boolean credentials = !t.headerEnv().isEmpty() || t.urlEnv() != null;
            if (credentials && "http".equalsIgnoreCase(u.getScheme()) && !loopback(u.getHost())) {
                out.add("webhook '" + t.name() + "': " + (t.headerEnv().isEmpty() ? "its URL (from $" + t.urlEnv()
                        + ")" : "header" + (t.headerEnv().size() > 1 ? "s " : " ") + String.join(", ",
                        t.headerEnv().keySet())) + " travel" + (t.headerEnv().size() == 1 || t.headerEnv().isEmpty()
                        ? "s" : "") + " without TLS to " + u.getHost() + "; use https://");
            }
        }
        return out;
    }

    private static void relativePath(List<String> out, String file, String key) {
        if (file != null && !file.isBlank()) {
            String problem = Secret.file(file).pathProblem(key);
            if (problem != null) {
                out.add(problem + " (a cluster's TaskManagers resolve it against their own)");
            }
        }
    }

    /**
     * Whether {@code host} is this machine's loopback: {@code localhost}, an IPv4 address in
     * 127.0.0.0/8, or {@code ::1}. No name is resolved.
     */
    static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
