package io.vigil.connectors.webhook;

import io.vigil.connectors.secret.Secret;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where and how one endpoint is called: its URL, fixed headers, signing key, timeout, retry
 * budget, rate and concurrency bounds, and the CA certificate an https endpoint is verified
 * against (the JVM's trust store when none). Secrets (the signing secret, a token header, a URL
 * that embeds a token) are never values here: the target names environment variables (or, for the
 * signing secret, a file), read where the requests are sent.
 */
public final class WebhookTarget implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(10);
    public static final double DEFAULT_RATE_PER_SECOND = 50;
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    public static final int DEFAULT_MAX_PENDING = 10_000;
    /** Share of {@code max-pending} only urgent requests may use: a flood of normal ones never refuses an urgent one. */
    public static final double DEFAULT_URGENT_RESERVE = 0.10;
    public static final String DEFAULT_KEY_ID = "primary";

    /** Headers Vigil sets itself; configuration may not override them. */
    static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host", "connection",
            "expect", "upgrade", "user-agent", "idempotency-key", "x-vigil-timestamp", "x-vigil-key-id",
            "x-vigil-signature", "x-vigil-attempt");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String name;
    private final String url;
    private final String urlEnv;
    private final Map<String, String> headers;
    private final Map<String, String> headerEnv;
    private final String secretEnv;
    private final String secretFile;
    private final String caCert;
    private final String keyId;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double ratePerSecond;
    private final int maxInFlight;
    private final int maxPending;
    private final double urgentReserve;

    private WebhookTarget(Builder b) {
        this.name = b.name;
        this.url = b.url;
        this.urlEnv = b.urlEnv;
        this.headers = Collections.unmodifiableMap(new TreeMap<>(b.headers));
        this.headerEnv = Collections.unmodifiableMap(new TreeMap<>(b.headerEnv));
        this.secretEnv = b.secretEnv;
        this.secretFile = b.secretFile;
        this.caCert = b.caCert;
        this.keyId = b.keyId;
        this.timeout = b.timeout;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.ratePerSecond = b.ratePerSecond;
        this.maxInFlight = b.maxInFlight;
        this.maxPending = b.maxPending;
        this.urgentReserve = b.urgentReserve;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this target's settings, to make a changed copy ({@code vigil webhooks test}: one attempt). */
    public Builder toBuilder() {
        Builder b = new Builder().name(name).url(url).urlEnv(urlEnv).secretEnv(secretEnv).secretFile(secretFile)
                .caCert(caCert).keyId(keyId)
                .timeout(timeout).maxAttempts(maxAttempts).initialBackoff(initialBackoff).maxBackoff(maxBackoff)
                .ratePerSecond(ratePerSecond).maxInFlight(maxInFlight).maxPending(maxPending)
                .urgentReserve(urgentReserve);
        b.headers.putAll(headers);
        b.headerEnv.putAll(headerEnv);
        return b;
    }

    public String name() {
        return name;
    }

    /** The URL as configured, or {@code null} when it comes from {@link #urlEnv()}. */
    public String url() {
        return url;
    }

    public String urlEnv() {
        return urlEnv;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Map<String, String> headerEnv() {
        return headerEnv;
    }

    public String secretEnv() {
        return secretEnv;
    }

    /** The file holding the signing secret, instead of {@link #secretEnv()}, or {@code null}. */
    public String secretFile() {
        return secretFile;
    }

    /** Where the signing secret is: the environment variable or the file. */
    public Secret secret() {
        return secretFile != null ? Secret.file(secretFile) : Secret.env(secretEnv);
    }

    /** The PEM CA certificate an https endpoint's certificate is verified against, or {@code null} for the JVM's. */
    public String caCert() {
        return caCert;
    }

    public String keyId() {
        return keyId;
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int maxPending() {
        return maxPending;
    }

    /** The share of {@link #maxPending()} kept for urgent requests. */
    public double urgentReserve() {
        return urgentReserve;
    }

    /**
     * Places of the queue only urgent requests may take: the reserve share of {@code max-pending},
     * rounded up (a small queue still keeps one), but never all of it (one place stays for normal ones).
     */
    public int reservedForUrgent() {
        return urgentReserve == 0 ? 0 : (int) Math.min(Math.ceil(maxPending * urgentReserve), maxPending - 1L);
    }

    /** How many deliveries may be pending when a request of {@code priority} is offered, it excluded. */
    public int capacityFor(WebhookRequest.Priority priority) {
        return priority == WebhookRequest.Priority.URGENT ? maxPending : maxPending - reservedForUrgent();
    }

    /** What the environment must provide, resolved: fails naming the missing variable. */
    public Resolved resolve(Function<String, String> env) {
        String secret;
        try {
            secret = secret().read(env, "the signing secret");
        } catch (IllegalStateException e) {
            throw new IllegalStateException("webhook '" + name + "': " + (secretFile == null
                    ? "environment variable " + secretEnv + " is not set" : e.getMessage())
                    + "; deliveries are signed with the secret it holds");
        }
        String u = url;
        if (u == null) {
            u = env.apply(urlEnv);
            if (u == null || u.isBlank()) {
                throw new IllegalStateException("webhook '" + name + "': environment variable " + urlEnv
                        + " (the endpoint URL) is not set");
            }
        }
        URI uri = checkUrl(name, u.trim());
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        headerEnv.forEach((header, var) -> {
            String value = env.apply(var);
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("webhook '" + name + "': environment variable " + var
                        + " (header " + header + ") is not set");
            }
            all.put(header, checkHeaderValue(name, header, value));
        });
        return new Resolved(this, uri, secret.getBytes(StandardCharsets.UTF_8), Collections.unmodifiableMap(all));
    }

    /** A target with its secrets read: lives only where requests are sent, never serialized. */
    public record Resolved(WebhookTarget target, URI uri, byte[] secret, Map<String, String> headers) {}

    // ------------------------------------------------------------------ retry policy

    /** What an attempt's result means for the delivery. */
    public enum Verdict { DELIVERED, RETRY, FAIL }

    /** 2xx delivered; 408, 429 and 5xx worth retrying; anything else (other 4xx, 3xx, 1xx) final. */
    public static Verdict verdict(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.DELIVERED;
        }
        if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
            return Verdict.RETRY;
        }
        return Verdict.FAIL;
    }

    /**
     * The wait before attempt {@code attemptsMade + 1}: exponential from the initial backoff, capped
     * at the maximum, with "equal jitter" (half fixed, half random) so endpoints recovering from an
     * outage are not hit by every retry at once; at least the server's {@code Retry-After}, itself
     * capped at the maximum backoff.
     *
     * @param random a value in [0, 1)
     * @param retryAfterMillis the server's {@code Retry-After}, or {@code null}
     */
    public long backoffMillis(int attemptsMade, Long retryAfterMillis, double random) {
        long cap = maxBackoff.toMillis();
        long base = initialBackoff.toMillis();
        int shift = Math.min(Math.max(attemptsMade - 1, 0), 30);
        long exp = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
        long jittered = exp / 2 + (long) (random * (exp - exp / 2));
        if (retryAfterMillis != null && retryAfterMillis > 0) {
            return Math.max(jittered, Math.min(retryAfterMillis, cap));
        }
        return jittered;
    }

    // ------------------------------------------------------------------ validation

    static URI checkUrl(String name, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // the reason and where, never the text: a URL from url-env may hold a token
            throw new IllegalArgumentException("webhook '" + name + "': not a URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at character " + e.getIndex() : ""));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("webhook '" + name + "': the URL must be http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("webhook '" + name + "': the URL has no host");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("webhook '" + name + "': credentials in the URL are not allowed; "
                    + "send them in a header from header-env");
        }
        return uri;
    }

    static String checkHeaderValue(String name, String header, String value) {
        if (Secret.hasControlCharacter(value)) {
            throw new IllegalArgumentException("webhook '" + name + "': header " + header + " has a control character");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookTarget t && name.equals(t.name) && Objects.equals(url, t.url)
                && Objects.equals(urlEnv, t.urlEnv) && headers.equals(t.headers) && headerEnv.equals(t.headerEnv)
                && Objects.equals(secretEnv, t.secretEnv) && Objects.equals(secretFile, t.secretFile)
                && Objects.equals(caCert, t.caCert) && keyId.equals(t.keyId) && timeout.equals(t.timeout)
                && maxAttempts == t.maxAttempts && initialBackoff.equals(t.initialBackoff)
                && maxBackoff.equals(t.maxBackoff) && ratePerSecond == t.ratePerSecond
                && maxInFlight == t.maxInFlight && maxPending == t.maxPending && urgentReserve == t.urgentReserve;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, url, urlEnv, secretEnv, secretFile, keyId);
    }

    @Override
    public String toString() {
        return "webhook " + name + " (" + (url != null ? url : "$" + urlEnv) + ")";
    }

    public static final class Builder {
        private String name;
        private String url;
        private String urlEnv;
        private final Map<String, String> headers = new TreeMap<>();
        private final Map<String, String> headerEnv = new TreeMap<>();
        private String secretEnv;
        private String secretFile;
        private String caCert;
        private String keyId = DEFAULT_KEY_ID;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double ratePerSecond = DEFAULT_RATE_PER_SECOND;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private int maxPending = DEFAULT_MAX_PENDING;
        private double urgentReserve = DEFAULT_URGENT_RESERVE;

        private Builder() {}

        /** Lower-case letters, digits, {@code -} and {@code _}: it names the endpoint in records and the CLI. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The endpoint URL (http or https); use {@link #urlEnv} when the URL itself is a secret. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** Environment variable holding the URL (Slack-style URLs embed a token). */
        public Builder urlEnv(String urlEnv) {
            this.urlEnv = urlEnv;
            return this;
        }

        /** A fixed, non-secret header. */
        public Builder header(String header, String value) {
            headers.put(header, value);
            return this;
        }

        /** A header whose value is read from environment variable {@code env} ({@code Authorization}). */
        public Builder headerFromEnv(String header, String env) {
            headerEnv.put(header, env);
            return this;
        }

        /** Environment variable holding the signing secret. Required. */
        public Builder secretEnv(String secretEnv) {
            this.secretEnv = secretEnv;
            return this;
        }

        /** File holding the signing secret, instead of {@link #secretEnv}. */
        public Builder secretFile(String secretFile) {
            this.secretFile = secretFile;
            return this;
        }

        /** A PEM CA certificate to verify an https endpoint against, instead of the JVM's trust store. */
        public Builder caCert(String caCert) {
            this.caCert = caCert;
            return this;
        }

        /** Sent as {@code X-Vigil-Key-Id}, so a receiver knows which secret verifies (key rotation). */
        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** How long one attempt may take, connection included. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Attempts per delivery, the first included, before it is dead-lettered. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** Requests per second at most (bursts up to one second's worth); 0 for no limit. */
        public Builder ratePerSecond(double ratePerSecond) {
            this.ratePerSecond = ratePerSecond;
            return this;
        }

        /** Requests waiting for a response at once, at most. */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** Deliveries queued for this endpoint at most; more are dead-lettered at once, never blocking detection. */
        public Builder maxPending(int maxPending) {
            this.maxPending = maxPending;
            return this;
        }

        /**
         * The share of {@code max-pending} (0 to below 1) kept for urgent requests: normal ones are
         * dead-lettered once the rest is full, urgent ones only when the whole queue is.
         */
        public Builder urgentReserve(double urgentReserve) {
            this.urgentReserve = urgentReserve;
            return this;
        }

        public WebhookTarget build() {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("webhook name must be 1–63 lower-case letters, digits, '-' or '_' "
                        + "(starting with a letter or digit): " + name);
            }
            String where = "webhook '" + name + "': ";
            if ((url == null) == (urlEnv == null)) {
                throw new IllegalArgumentException(where + "give exactly one of url and url-env");
            }
            if (url != null) {
                checkUrl(name, url);
            } else {
                checkEnv(where, "url-env", urlEnv);
            }
            if (secretEnv == null && secretFile == null) {
                throw new IllegalArgumentException(where + "secret-env is required (or secret-file): deliveries are "
                        + "signed with the secret held by that environment variable (or file)");
            }
            if (secretEnv != null && secretFile != null) {
                throw new IllegalArgumentException(where + "give secret-env or secret-file, not both");
            }
            if (secretEnv != null) {
                checkEnv(where, "secret-env", secretEnv);
            } else if (secretFile.isBlank()) {
                throw new IllegalArgumentException(where + "secret-file is empty");
            }
            if (caCert != null && caCert.isBlank()) {
                throw new IllegalArgumentException(where + "ca-cert is empty");
            }
            if (keyId == null || !HEADER_NAME.matcher(keyId).matches()) {
                throw new IllegalArgumentException(where + "key-id must be a token ([A-Za-z0-9._-]…): " + keyId);
            }
            headers.forEach((h, v) -> {
                checkHeaderName(where, h);
                checkHeaderValue(name, h, v);
            });
            headerEnv.forEach((h, v) -> {
                checkHeaderName(where, h);
                checkEnv(where, "header-env." + h, v);
            });
            positive(where, "timeout", timeout);
            positive(where, "initial-backoff", initialBackoff);
            positive(where, "max-backoff", maxBackoff);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(where + "max-backoff (" + maxBackoff + ") is below initial-backoff ("
                        + initialBackoff + ")");
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException(where + "max-attempts must be at least 1: " + maxAttempts);
            }
            if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException(where + "rate-limit must be 0 (none) or a positive number: "
                        + ratePerSecond);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException(where + "max-in-flight must be at least 1: " + maxInFlight);
            }
            if (maxPending < 1) {
                throw new IllegalArgumentException(where + "max-pending must be at least 1: " + maxPending);
            }
            if (!(urgentReserve >= 0 && urgentReserve < 1)) {
                throw new IllegalArgumentException(where + "urgent-reserve must be a share of max-pending from 0 "
                        + "(none) to below 1: " + urgentReserve);
            }
            return new WebhookTarget(this);
        }

        private static void checkHeaderName(String where, String h) {
            if (!HEADER_NAME.matcher(h).matches()) {
                throw new IllegalArgumentException(where + "not a header name: " + h);
            }
            if (RESERVED_HEADERS.contains(h.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(where + "header " + h + " is set by Vigil and cannot be configured");
            }
        }

        private static void checkEnv(String where, String key, String env) {
            if (!ENV_NAME.matcher(env).matches()) {
                throw new IllegalArgumentException(where + key + " must name an environment variable: " + env);
            }
        }

        private static void positive(String where, String key, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(where + key + " must be positive: " + d);
            }
        }
    }
}
