package io.vigil.jobs.config;

import io.vigil.formats.Formats;
import io.vigil.jobs.webhook.WebhookRoute;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;

/**
 * What {@code vigil config --check} and the streaming job refuse beyond what reading a
 * configuration already does (keys known, values of their type and range): a file that sets
 * nothing, a required key left out, a topic read as a format Vigil has no decoder for, a
 * {@code detection.sigma} directory that is missing or unreadable, and a webhook filter naming a
 * rule the configured rule pack does not have (that endpoint would never receive anything). Each problem names the key and the bad value and says what would be valid.
 */
public final class ConfigCheck {

    private ConfigCheck() {}

    /**
     * Every problem of the configuration file {@code file}, or none: it is read as the job reads
     * it, then checked against the rule pack it names.
     */
    public static List<String> check(Path file) {
        VigilConfig config;
        try {
            config = VigilConfig.load(file);
        } catch (VigilConfig.Invalid e) {
            return e.problems();
        } catch (IOException e) {
            // a missing file, or text that is no YAML
            return List.of(file + ": " + e.getMessage());
        }
        List<RuleSource> sources;
        try {
            // a bad detection.sigma directory is one of collect's problems: the ids of the DRL rules still count
            sources = sigmaProblems(config).isEmpty() ? config.ruleSources() : config.drlSources();
        } catch (IOException e) {
            // detection.rules (or detection.sigma) names no rule files: rule ids cannot be checked
            List<String> problems = new ArrayList<>(List.of(e.getMessage()));
            problems.addAll(collect(config, null));
            return problems;
        }
        // compiling a pack takes seconds: only when a webhook filter names rules
        return collect(config, filtersOnRules(config) ? ruleIds(sources) : Set.of());
    }

    /**
     * The problems of a configuration that was read, with {@code ruleIds} the ids of the rules of
     * the pack it runs (only consulted when a webhook endpoint filters on rules).
     */
    public static List<String> problems(VigilConfig config, Set<String> ruleIds) {
        return collect(config, java.util.Objects.requireNonNull(ruleIds, "ruleIds"));
    }

    /** {@link #problems}, without the check of webhook rule ids when {@code ruleIds} is {@code null}. */
    private static List<String> collect(VigilConfig config, Set<String> ruleIds) {
        if (config.keys().isEmpty()) {
            return List.of("the configuration sets no keys: a streaming job needs at least " + requiredKeys()
                    + " (every key with its default: vigil config)");
        }
        List<String> problems = new ArrayList<>();
        for (ConfigOption<?> o : VigilOptions.required()) {
            Object value = config.get(o);
            if (value == null || value instanceof Collection<?> c && c.isEmpty()) {
                problems.add(o.key() + ": required, not set (" + ConfigReference.text(o.description()) + ")");
            }
        }
        problems.addAll(sigmaProblems(config));
        try {
            config.bundleKey();
        } catch (java.io.IOException e) {
            problems.add(e.getMessage());
        }
        String prometheus = config.get(VigilOptions.METRICS_PROMETHEUS_PORT);
        if (!prometheus.isBlank() && !PrometheusPorts.valid(prometheus)) {
            problems.add(VigilOptions.METRICS_PROMETHEUS_PORT.key() + ": '" + prometheus + "' is not a port (1-65535) "
                    + "or a range of ports such as 9249-9259");
        }
        Map<String, String> topics = config.get(VigilOptions.KAFKA_TOPICS);
        if (topics.isEmpty()) {
            problems.add(VigilOptions.KAFKA_TOPICS.key() + ": no topic to read; map each raw topic to its format, one of "
                    + Formats.STREAMED);
        }
        new TreeSet<>(topics.keySet()).forEach(topic -> {
            String format = topics.get(topic);
            if (Formats.EVTX.equals(format)) {
                problems.add(VigilOptions.KAFKA_TOPICS.key() + "." + topic + ": format 'evtx' names Windows event log "
                        + "files, read by vigil replay; a topic of Windows events as JSON (evtx_dump, Winlogbeat, NXLog) "
                        + "is 'windows'");
            } else if (!Formats.isKnown(format)) {
                problems.add(VigilOptions.KAFKA_TOPICS.key() + "." + topic + ": unknown format '" + format
                        + "'; Vigil decodes " + String.join(", ", Formats.STREAMED));
            }
        });
        if (ruleIds != null) {
            for (WebhookRoute route : config.webhooks()) {
                for (String id : new TreeSet<>(route.filter().ruleIds())) {
                    if (!ruleIds.contains(id)) {
                        problems.add(WebhookOptions.PREFIX + route.name() + "." + WebhookOptions.RULES.key()
                                + ": no rule '" + id + "' in " + pack(config) + "; its rules: "
                                + String.join(", ", new TreeSet<>(ruleIds)));
                    }
                }
            }
        }
        return problems;
    }

    /** The ids of the rules {@code sources} define (whether or not their fixtures pass). */
    public static Set<String> ruleIds(List<RuleSource> sources) {
        return RulePack.compile(sources).rules().keySet();
    }

    /** Each directory of {@code detection.sigma} that is missing, not a directory or not readable. */
    private static List<String> sigmaProblems(VigilConfig config) {
        return SigmaDirectories.problems(config.sigmaDirs(), VigilOptions.SIGMA_DIRS.key());
    }

    private static boolean filtersOnRules(VigilConfig config) {
        return config.webhooks().stream().anyMatch(r -> !r.filter().ruleIds().isEmpty());
    }

    private static String pack(VigilConfig config) {
        String dir = config.get(VigilOptions.RULES_DIR);
        return dir == null ? "the rule pack shipped with Vigil"
                : "the rules of " + VigilOptions.RULES_DIR.key() + " (" + dir + ")";
    }

    private static String requiredKeys() {
        return String.join(" and ", VigilOptions.required().stream().map(ConfigOption::key).toList());
    }
}
