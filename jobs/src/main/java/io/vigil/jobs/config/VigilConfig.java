package io.vigil.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.rules.RuleSource;
import io.vigil.rules.exceptions.RuleExceptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Reads {@code vigil.yaml} into a Flink {@link Configuration} of {@link VigilOptions}, validated
 * once: unknown keys, wrong types and missing required keys are errors that name the key.
 */
public final class VigilConfig {

    private final Configuration conf;
    private final Map<String, String> zeekHeaders;

    private VigilConfig(Configuration conf, Map<String, String> zeekHeaders) {
        this.conf = conf;
        this.zeekHeaders = Map.copyOf(zeekHeaders);
    }

    public static VigilConfig load(Path yaml) throws IOException {
        if (!Files.isRegularFile(yaml)) {
            throw new IOException("no such configuration file: " + yaml);
        }
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile());
        // an empty file is no document at all (null or a missing node): it sets no key
        return of(root == null || root.isMissingNode() ? Map.of() : flatten(root), yaml.toString());
    }

    /** A configuration from flat keys (tests, the demo). */
    public static VigilConfig of(Map<String, String> flat, String where) {
        Set<String> known = VigilOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        Configuration conf = new Configuration();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String key = e.getKey();
            String option = known.contains(key) ? key : mapOption(key, known);
            if (option == null) {
                problems.add("unknown key '" + key + "'");
                continue;
            }
            conf.setString(key, e.getValue());
        }
        for (ConfigOption<?> o : VigilOptions.all()) {
            try {
                conf.get(o);
            } catch (RuntimeException ex) {
                problems.add(o.key() + ": " + ex.getMessage() + choices(o));
            }
        }
        if (problems.isEmpty() && conf.get(VigilOptions.RULE_QUARANTINE_AFTER) < 0) {
            problems.add(VigilOptions.RULE_QUARANTINE_AFTER.key() + ": 0 (never) or more, not "
                    + conf.get(VigilOptions.RULE_QUARANTINE_AFTER));
        }
        if (problems.isEmpty() && conf.get(VigilOptions.MAX_KEYS) < 1) {
            problems.add(VigilOptions.MAX_KEYS.key() + ": must be at least 1: " + conf.get(VigilOptions.MAX_KEYS));
        }
        if (problems.isEmpty() && conf.get(VigilOptions.MASS_ACTIVITY_MAX_NEW_KEYS) < 0) {
            problems.add(VigilOptions.MASS_ACTIVITY_MAX_NEW_KEYS.key() + ": must be 0 (off) or more");
        }
        if (problems.isEmpty()) {
            for (ConfigOption<Integer> o : List.of(VigilOptions.ES_REFUSED_REQUEST_RETRIES,
                    VigilOptions.ES_RETRY_ON_CONFLICT)) {
                if (conf.get(o) < 0) {
                    problems.add(o.key() + ": must be 0 or more, got " + conf.get(o));
                }
            }
            positive(conf, VigilOptions.MAX_FUTURE_SKEW, problems);
            positive(conf, VigilOptions.MAX_EVENT_AGE, problems);
            if (conf.get(VigilOptions.IDLE_TIMEOUT).isNegative()) {
                problems.add(VigilOptions.IDLE_TIMEOUT.key() + ": must be 0 (off) or more");
            }
        }
        if (problems.isEmpty()) {
            try {
                io.vigil.jobs.config.WebhookOptions.parse(conf.get(VigilOptions.WEBHOOK_ENDPOINTS));
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        if (problems.isEmpty()) {
            try {
                exceptionsOf(conf); // read at start, as the job will: a typo in it is a configuration error
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        if (problems.isEmpty()) {
            try {
                maskingOf(conf); // a policy name or parameter name that cannot be is refused at start
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        Map<String, String> zeekHeaders = Map.of();
        if (problems.isEmpty()) {
            try {
                zeekHeaders = ZeekTopicHeaders.resolve(conf.get(VigilOptions.KAFKA_TOPICS),
                        conf.get(VigilOptions.KAFKA_ZEEK_HEADERS), conf.get(VigilOptions.KAFKA_ZEEK_PATHS));
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new Invalid(where, problems, known);
        }
        return new VigilConfig(conf, zeekHeaders);
    }

    /** A configuration that cannot be read: each problem names its key. */
    public static final class Invalid extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final List<String> problems;

        Invalid(String where, List<String> problems, Set<String> known) {
            super(where + ": " + String.join("; ", problems) + " (keys: " + new TreeSet<>(known) + ")");
            this.problems = List.copyOf(problems);
        }

        /** What is wrong, one entry per key, each starting with the key or naming it. */
        public List<String> problems() {
            return problems;
        }
    }

    /** For an option with a fixed set of values, which they are (Flink's message does not say). */
    private static String choices(ConfigOption<?> option) {
        if (option.defaultValue() instanceof Enum<?> e) {
            return " (one of: " + java.util.Arrays.stream(e.getDeclaringClass().getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ")) + ")";
        }
        return "";
    }

    private static void positive(Configuration conf, ConfigOption<java.time.Duration> option, List<String> problems) {
        java.time.Duration d = conf.get(option);
        if (d.isNegative() || d.isZero()) {
            problems.add(option.key() + ": must be more than 0");
        }
    }

    /** A key under a map option ({@code kafka.topics.vigil.raw.syslog}) belongs to it. */
    private static String mapOption(String key, Set<String> known) {
        for (String k : known) {
            if (key.startsWith(k + ".")) {
                return k;
            }
        }
        return null;
    }

    public <T> T get(ConfigOption<T> option) {
        return conf.get(option);
    }

    /** The keys this configuration sets; every other key has its default. */
    public Set<String> keys() {
        return new TreeSet<>(conf.keySet());
    }

    /**
     * The rule files this configuration runs: the DRL files under {@code detection.rules} (or
     * the pack shipped with Vigil), then the Sigma files under each directory of
     * {@code detection.sigma}.
     *
     * @throws IOException naming the key when a directory cannot be read or holds no rule file
     */
    public List<RuleSource> ruleSources() throws IOException {
        List<RuleSource> sources = new ArrayList<>(drlSources());
        sources.addAll(SigmaDirectories.load(sigmaDirs(), VigilOptions.SIGMA_DIRS.key()));
        return sources;
    }

    /**
     * The DRL files of the rules this configuration runs: those under {@code detection.rules}, or
     * the pack shipped with Vigil.
     *
     * @throws IOException naming the key when the directory cannot be read, is writable by others
     *     than its owner or holds no rule file
     */
    public List<RuleSource> drlSources() throws IOException {
        String dir = conf.get(VigilOptions.RULES_DIR);
        if (dir == null) {
            return RuleSource.packaged();
        }
        Path path = Path.of(dir);
        if (!Files.isDirectory(path)) {
            throw new IOException(VigilOptions.RULES_DIR.key() + ": no such directory: " + dir);
        }
        String writable = RuleDirectoryPermissions.problem(path, VigilOptions.RULES_DIR.key());
        if (writable != null) {
            throw new IOException(writable);
        }
        List<RuleSource> sources = RuleSource.load(path, dir);
        if (sources.isEmpty()) {
            throw new IOException(VigilOptions.RULES_DIR.key() + ": no .drl files under " + dir);
        }
        return sources;
    }

    /**
     * The public key rule bundles must be signed with ({@code rules.public-key}), or null when live
     * rules are off. A key that cannot be read is an error naming the file.
     */
    public java.security.PublicKey bundleKey() throws IOException {
        String file = conf.get(VigilOptions.RULES_PUBLIC_KEY);
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            return io.vigil.rules.bundle.BundleKeys.publicKey(Path.of(file));
        } catch (io.vigil.rules.bundle.BundleException e) {
            throw new IOException(VigilOptions.RULES_PUBLIC_KEY.key() + ": " + e.getMessage());
        }
    }

    /** The directories of {@code detection.sigma}, in order; none when the key is not set. */
    public List<String> sigmaDirs() {
        List<String> dirs = conf.get(VigilOptions.SIGMA_DIRS);
        return dirs == null ? List.of() : dirs.stream().filter(d -> !d.isBlank()).toList();
    }

    /**
     * This configuration with {@code more} Sigma directories after those of
     * {@code detection.sigma} ({@code vigil run --sigma}: a repeatable flag adds, it does not
     * replace).
     */
    public VigilConfig withSigmaDirs(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> dirs = new ArrayList<>(sigmaDirs());
        dirs.addAll(more);
        Configuration copy = new Configuration(conf);
        copy.set(VigilOptions.SIGMA_DIRS, dirs);
        return new VigilConfig(copy, zeekHeaders);
    }

    /**
     * The exceptions of {@code detection.exceptions}, read from the file now; {@link RuleExceptions#NONE}
     * when the key is not set.
     *
     * @throws IllegalArgumentException naming the key, the file, the entry and what is wrong
     */
    public RuleExceptions exceptions() {
        return exceptionsOf(conf);
    }

    private static RuleExceptions exceptionsOf(Configuration conf) {
        String file = conf.get(VigilOptions.EXCEPTIONS_FILE);
        if (file == null || file.isBlank()) {
            return RuleExceptions.NONE;
        }
        try {
            return RuleExceptions.load(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(VigilOptions.EXCEPTIONS_FILE.key() + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VigilOptions.EXCEPTIONS_FILE.key() + ": " + e.getMessage());
        }
    }

    /**
     * This configuration with {@code file} as {@code detection.exceptions} ({@code vigil run
     * --exceptions}: the flag replaces the key), read and checked now.
     */
    public VigilConfig withExceptionsFile(String file) {
        Configuration copy = new Configuration(conf);
        copy.set(VigilOptions.EXCEPTIONS_FILE, file);
        exceptionsOf(copy);
        return new VigilConfig(copy, zeekHeaders);
    }

    /** What is masked on the way out ({@code masking.*}, docs/masking.md). */
    public io.vigil.model.mask.MaskingPolicy masking() {
        return maskingOf(conf);
    }

    private static io.vigil.model.mask.MaskingPolicy maskingOf(Configuration conf) {
        return new io.vigil.model.mask.MaskingPolicy(
                io.vigil.model.mask.MaskingPolicy.UserNames.parse(conf.get(VigilOptions.MASK_FAILED_SIGN_IN_USERS)),
                conf.get(VigilOptions.MASK_SECRET_PARAMETERS));
    }

    /** The context stage's configuration ({@code enrich.*}, {@code detection.impossible-travel.*}, {@code detection.first-seen.*}). */
    public io.vigil.jobs.context.ContextConfig context() {
        return new io.vigil.jobs.context.ContextConfig(paths(VigilOptions.ENRICH_INTEL), paths(VigilOptions.ENRICH_GEOIP),
                path(VigilOptions.ENRICH_ASSETS), path(VigilOptions.ENRICH_IDENTITIES),
                conf.get(VigilOptions.ENRICH_INTEL_SUPPRESSION), conf.get(VigilOptions.ENRICH_RETRO_HUNT),
                conf.get(VigilOptions.TRAVEL_ENABLED), conf.get(VigilOptions.TRAVEL_MAX_SPEED),
                conf.get(VigilOptions.TRAVEL_MIN_DISTANCE), conf.get(VigilOptions.FIRST_SEEN_RETENTION));
    }

    /**
     * This configuration with more intel and GeoIP files (added) and assets and identities tables
     * (replacing): the flags of {@code vigil run}.
     */
    public VigilConfig withContextFiles(List<Path> intel, List<Path> geoip, Path assets, Path identities) {
        Configuration copy = new Configuration(conf);
        List<String> i = new ArrayList<>(paths(VigilOptions.ENRICH_INTEL).stream().map(Path::toString).toList());
        intel.forEach(p -> i.add(p.toString()));
        List<String> g = new ArrayList<>(paths(VigilOptions.ENRICH_GEOIP).stream().map(Path::toString).toList());
        geoip.forEach(p -> g.add(p.toString()));
        if (!i.isEmpty()) {
            copy.set(VigilOptions.ENRICH_INTEL, i);
        }
        if (!g.isEmpty()) {
            copy.set(VigilOptions.ENRICH_GEOIP, g);
        }
        if (assets != null) {
            copy.set(VigilOptions.ENRICH_ASSETS, assets.toString());
        }
        if (identities != null) {
            copy.set(VigilOptions.ENRICH_IDENTITIES, identities.toString());
        }
        return new VigilConfig(copy, zeekHeaders);
    }

    private List<Path> paths(ConfigOption<List<String>> option) {
        List<String> values = conf.get(option);
        return values == null ? List.of() : values.stream().filter(v -> !v.isBlank()).map(Path::of).toList();
    }

    private Path path(ConfigOption<String> option) {
        String v = conf.get(option);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    /** The value of a required option, or an error naming the key. */
    public <T> T require(ConfigOption<T> option) {
        T v = conf.get(option);
        if (v == null) {
            throw new IllegalArgumentException("configuration key '" + option.key() + "' is required: "
                    + option.description());
        }
        return v;
    }

    /** The configured webhook endpoints (validated when the configuration was read). */
    public java.util.List<io.vigil.jobs.webhook.WebhookRoute> webhooks() {
        return io.vigil.jobs.config.WebhookOptions.parse(conf.get(VigilOptions.WEBHOOK_ENDPOINTS));
    }

    /**
     * The header of each Zeek topic's records, from {@code kafka.zeek-headers} and
     * {@code kafka.zeek-paths} (files read and headers checked when the configuration was read).
     */
    public Map<String, String> zeekHeaders() {
        return zeekHeaders;
    }

    public Configuration flink() {
        return conf;
    }

    private static Map<String, String> flatten(JsonNode root) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        flatten("", root, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(n.asText()));
            out.put(prefix, String.join(";", items));
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }
}
