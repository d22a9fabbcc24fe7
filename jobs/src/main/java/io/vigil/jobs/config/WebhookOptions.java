package io.vigil.jobs.config;

import io.vigil.jobs.webhook.WebhookFormat;
import io.vigil.jobs.webhook.WebhookFilter;
import io.vigil.jobs.webhook.WebhookRoute;
import static org.apache.flink.configuration.ConfigOptions.key;

import io.vigil.connectors.webhook.WebhookTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The keys of one webhook endpoint, under {@code webhooks.endpoints.<name>.} in {@code vigil.yaml},
 * typed, with defaults and meanings; and the parser that turns them into {@link WebhookRoute}s,
 * naming every bad key. Secrets are never values: {@code *-env} keys name environment variables.
 */
public final class WebhookOptions {

    private WebhookOptions() {}

    public static final String PREFIX = "webhooks.endpoints.";

    public static final ConfigOption<String> URL = key("url").stringType().noDefaultValue()
            .withDescription("Endpoint URL, http:// or https:// (TLS verified). Only configured URLs are ever called.");
    public static final ConfigOption<String> URL_ENV = key("url-env").stringType().noDefaultValue()
            .withDescription("Environment variable holding the URL, instead of url, when the URL itself is a secret "
                    + "(Slack incoming webhooks).");
    public static final ConfigOption<String> SECRET_ENV = key("secret-env").stringType().noDefaultValue()
            .withDescription("Environment variable holding the HMAC-SHA256 signing secret. Required.");
    public static final ConfigOption<String> SECRET_FILE = key("secret-file").stringType().noDefaultValue()
            .withDescription("File holding the signing secret, instead of secret-env (trailing line breaks dropped).");
    public static final ConfigOption<String> CA_CERT = key("ca-cert").stringType().noDefaultValue()
            .withDescription("PEM CA certificate an https endpoint's certificate is verified against, instead of "
                    + "the JVM's trust store (a private CA).");
    public static final ConfigOption<String> KEY_ID = key("key-id").stringType()
            .defaultValue(WebhookTarget.DEFAULT_KEY_ID).withDescription("Sent as X-Vigil-Key-Id: change it with the "
                    + "secret, so receivers can hold the old and new secret while rotating.");
    public static final ConfigOption<String> FORMAT = key("format").stringType().defaultValue("generic")
            .withDescription("Payload: generic (Vigil JSON), ecs (the Elasticsearch document) or slack.");
    public static final ConfigOption<List<String>> SEND = key("send").stringType().asList()
            .defaultValues("alerts").withDescription("What is sent: alerts, incidents, or both.");
    public static final ConfigOption<String> MIN_SEVERITY = key("min-severity").stringType().defaultValue("low")
            .withDescription("Lowest severity sent: low, medium, high or critical.");
    public static final ConfigOption<List<String>> RULES = key("rules").stringType().asList().noDefaultValue()
            .withDescription("Only these rule ids (incidents: with an alert of one of them); all when unset.");
    public static final ConfigOption<List<String>> TAGS = key("tags").stringType().asList().noDefaultValue()
            .withDescription("Only alerts whose rule has one of these tags; all when unset.");
    public static final ConfigOption<Map<String, String>> HEADERS = key("headers").mapType().noDefaultValue()
            .withDescription("Fixed, non-secret headers (name: value).");
    public static final ConfigOption<Map<String, String>> HEADER_ENV = key("header-env").mapType().noDefaultValue()
            .withDescription("Headers read from environment variables (name: VARIABLE), such as Authorization.");
    public static final ConfigOption<Duration> TIMEOUT = key("timeout").durationType()
            .defaultValue(WebhookTarget.DEFAULT_TIMEOUT).withDescription("Time one attempt may take, connecting "
                    + "included; then it counts as failed and is retried.");
    public static final ConfigOption<Integer> MAX_ATTEMPTS = key("max-attempts").intType()
            .defaultValue(WebhookTarget.DEFAULT_MAX_ATTEMPTS).withDescription("Attempts per delivery, the first "
                    + "included; then it goes to the dead letters with its last error.");
    public static final ConfigOption<Duration> INITIAL_BACKOFF = key("initial-backoff").durationType()
            .defaultValue(WebhookTarget.DEFAULT_INITIAL_BACKOFF).withDescription("Wait before the first retry; it "
                    + "doubles with each retry, with jitter.");
    public static final ConfigOption<Duration> MAX_BACKOFF = key("max-backoff").durationType()
            .defaultValue(WebhookTarget.DEFAULT_MAX_BACKOFF).withDescription("Longest wait between attempts, a "
                    + "Retry-After included.");
    public static final ConfigOption<Double> RATE_LIMIT = key("rate-limit").doubleType()
            .defaultValue(WebhookTarget.DEFAULT_RATE_PER_SECOND).withDescription("Requests per second at most "
                    + "(0: no limit).");
    public static final ConfigOption<Integer> MAX_IN_FLIGHT = key("max-in-flight").intType()
            .defaultValue(WebhookTarget.DEFAULT_MAX_IN_FLIGHT).withDescription("Requests awaiting a response at once.");
    public static final ConfigOption<Integer> MAX_PENDING = key("max-pending").intType()
            .defaultValue(WebhookTarget.DEFAULT_MAX_PENDING).withDescription("Deliveries queued for the endpoint at "
                    + "most; beyond that they are dead-lettered at once, so detection never waits.");
    public static final ConfigOption<Double> URGENT_RESERVE = key("urgent-reserve").doubleType()
            .defaultValue(WebhookTarget.DEFAULT_URGENT_RESERVE).withDescription("Share of max-pending (0 to below 1) "
                    + "only high and critical alerts and incidents may use, so a flood of lower ones never refuses "
                    + "them; they are also sent first. 0: no reserve.");

    /** Every per-endpoint option, for validation and documentation. */
    public static List<ConfigOption<?>> all() {
        return io.vigil.jobs.config.VigilOptions.declaredIn(WebhookOptions.class);
    }

    /**
     * The endpoints of {@code flat}, the entries of the {@code webhooks.endpoints} map
     * ({@code soar.url}, {@code soar.headers.X-Team}, …).
     *
     * @throws IllegalArgumentException naming each bad key
     */
    public static List<WebhookRoute> parse(Map<String, String> flat) {
        Map<String, Map<String, String>> byEndpoint = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            int dot = e.getKey().indexOf('.');
            if (dot <= 0) {
                problems.add(PREFIX + e.getKey() + ": expected " + PREFIX + "<name>.<key>");
                continue;
            }
            byEndpoint.computeIfAbsent(e.getKey().substring(0, dot), k -> new TreeMap<>())
                    .put(e.getKey().substring(dot + 1), e.getValue());
        }
        Set<String> known = new TreeSet<>();
        all().forEach(o -> known.add(o.key()));
        List<WebhookRoute> routes = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> ep : byEndpoint.entrySet()) {
            String name = ep.getKey();
            String where = PREFIX + name + ".";
            Configuration c = new Configuration();
            for (Map.Entry<String, String> kv : ep.getValue().entrySet()) {
                String k = kv.getKey();
                String option = known.contains(k) ? k
                        : k.startsWith("headers.") ? "headers" : k.startsWith("header-env.") ? "header-env" : null;
                if (option == null) {
                    problems.add("unknown key '" + where + k + "' (keys: " + known + ")");
                } else {
                    c.setString(k, kv.getValue());
                }
            }
            try {
                routes.add(route(name, c));
            } catch (RuntimeException ex) {
                problems.add(where + ": " + ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return routes;
    }

    private static WebhookRoute route(String name, Configuration c) {
        WebhookTarget.Builder b = WebhookTarget.builder().name(name)
                .url(c.get(URL)).urlEnv(c.get(URL_ENV)).secretEnv(c.get(SECRET_ENV))
                .secretFile(c.get(SECRET_FILE)).caCert(c.get(CA_CERT)).keyId(c.get(KEY_ID))
                .timeout(c.get(TIMEOUT)).maxAttempts(c.get(MAX_ATTEMPTS))
                .initialBackoff(c.get(INITIAL_BACKOFF)).maxBackoff(c.get(MAX_BACKOFF))
                .ratePerSecond(c.get(RATE_LIMIT)).maxInFlight(c.get(MAX_IN_FLIGHT)).maxPending(c.get(MAX_PENDING))
                .urgentReserve(c.get(URGENT_RESERVE));
        if (c.get(HEADERS) != null) {
            c.get(HEADERS).forEach(b::header);
        }
        if (c.get(HEADER_ENV) != null) {
            c.get(HEADER_ENV).forEach(b::headerFromEnv);
        }
        Set<String> send = new LinkedHashSet<>(words(c.get(SEND)));
        for (String s : send) {
            if (!s.equals("alerts") && !s.equals("incidents")) {
                throw new IllegalArgumentException("send must list alerts and/or incidents: " + s);
            }
        }
        if (send.isEmpty()) {
            throw new IllegalArgumentException("send must list alerts and/or incidents");
        }
        WebhookFilter filter = new WebhookFilter(send.contains("alerts"), send.contains("incidents"),
                c.get(MIN_SEVERITY), new LinkedHashSet<>(words(c.get(RULES))), new LinkedHashSet<>(words(c.get(TAGS))));
        return new WebhookRoute(b.build(), WebhookFormat.of(c.get(FORMAT)), filter);
    }

    /** List values from YAML lists ({@code a;b}) or comma-separated strings. */
    private static List<String> words(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                Arrays.stream(v.split("[,;]")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
            }
        }
        return out;
    }
}
