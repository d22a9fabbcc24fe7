package io.vigil.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Vigil's composable index templates: explicit ECS mappings for the daily indices of alerts
 * ({@code vigil-alerts-YYYY.MM.DD}), dead letters ({@code vigil-dead-letters-YYYY.MM.DD}), events
 * ({@code vigil-events-YYYY.MM.DD}), incident timelines ({@code vigil-timeline-YYYY.MM.DD}) and
 * webhook delivery attempts ({@code vigil-deliveries-YYYY.MM.DD}), the audit log of analysts'
 * actions ({@code vigil-audit-YYYY.MM.DD}), and for the incidents index
 * ({@code vigil-incidents}). Each template is a JSON resource next to this class
 * ({@code templates/<name>.json}) carrying its version in {@code version} and {@code _meta}.
 *
 * <p>Installing is a PUT, so it is idempotent: run it at every job start. The templates match
 * plain indices (no data streams, no ingest pipelines, no scripts), so they work on the minimal
 * distribution as on a full 8.x/9.x cluster.
 */
public final class IndexTemplates {

    public static final String ALERTS = "vigil-alerts";
    public static final String DEAD_LETTERS = "vigil-dead-letters";
    public static final String EVENTS = "vigil-events";
    /** Incidents: one index (not daily), one document per incident id. */
    public static final String INCIDENTS = "vigil-incidents";
    public static final String TIMELINE = "vigil-timeline";
    /** Webhook delivery attempts, daily. */
    public static final String DELIVERIES = "vigil-deliveries";
    /**
     * The audit log of analysts' actions, daily: written create-only (an entry is never
     * overwritten), so analysts need only the {@code create_doc} privilege on it.
     */
    public static final String AUDIT = "vigil-audit";
    /** Alerts of shadow rule packs (live rules pushed with {@code --shadow}), the alerts' shape. */
    public static final String SHADOW_ALERTS = "vigil-shadow-alerts";
    /** One index (not daily) of live-rule outcomes and per-rule numbers. */
    public static final String RULES = "vigil-rules";

    /** Every template, installed in this order. */
    public static final List<String> ALL = List.of(ALERTS, DEAD_LETTERS, EVENTS, INCIDENTS, TIMELINE, DELIVERIES,
            AUDIT, SHADOW_ALERTS, RULES);

    /** The version written in each template's {@code version} and {@code _meta.version}. */
    public static final int VERSION = 5;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    private IndexTemplates() {}

    /** The daily index of {@code prefix} for {@code time} (UTC): {@code vigil-alerts-2024.03.09}. */
    public static String dailyIndex(String prefix, Instant time) {
        return prefix + "-" + DAY.format(time);
    }

    /** The JSON body of template {@code name} (one of {@link #ALL}). */
    public static String json(String name) {
        if (!ALL.contains(name)) {
            throw new IllegalArgumentException("no Vigil index template named " + name + "; known: " + ALL);
        }
        String resource = "templates/" + name + ".json";
        try (InputStream in = IndexTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Installs (creates or replaces) every template. */
    public static void installAll(ElasticsearchClient client) throws IOException {
        for (String name : ALL) {
            install(client, name);
        }
    }

    /** Installs (creates or replaces) template {@code name}. */
    public static void install(ElasticsearchClient client, String name) throws IOException {
        // the kind's lifecycle component (LifecyclePolicies), optional: absent where the cluster has no ILM
        byte[] body = LifecyclePolicies.withLifecycle(name, json(name));
        client.indices().putIndexTemplate(r -> r.withJson(new ByteArrayInputStream(body)).name(name));
    }
}
