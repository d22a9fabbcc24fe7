package io.vigil.rules;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A rule's metadata, declared once in its DRL as annotations on the rule, whose name is the id:
 *
 * <pre>
 * rule "ssh-brute-force"
 *     &#64;version(1) &#64;name("SSH brute force") &#64;description("…")
 *     &#64;severity("medium") &#64;riskScore(47)
 *     &#64;tactics("TA0006") &#64;techniques("T1110.001") &#64;tags("ssh,brute-force")
 *     &#64;falsePositives("…") &#64;references("https://…")
 *     &#64;shape("threshold") &#64;groupBy("source.ip") &#64;window("60s") &#64;threshold(5)
 * </pre>
 *
 * Lists are comma-separated. {@code groupBy} may name several ECS fields: the first one an event
 * has is its group key. {@code suppress} defaults to the window (0 for single-event rules).
 *
 * <p>Compiled Sigma rules carry the same metadata, built with {@link #builder()}: their
 * {@code ruleset} is {@code sigma}, and they add what the Detection Rule License asks an alert to
 * keep ({@code author}, {@code license}) and the rule's {@code status}. A Sigma correlation adds
 * the shapes of {@link Shape} beyond {@link Shape#DRL}, its {@code condition} and, for temporal
 * correlations, its {@code steps}.
 *
 * @param threshold the least count that fires (DRL {@code @threshold}); for a Sigma correlation
 *     the count {@code condition} starts from, informational only
 * @param distinct the field whose distinct values are counted ({@link Shape#DISTINCT}) or whose
 *     numbers are summed or averaged ({@link Shape#VALUE_SUM}, {@link Shape#VALUE_AVG})
 * @param ruleset {@value #VIGIL} for the DRL pack, {@value #SIGMA} for compiled Sigma rules
 * @param author who wrote the rule (Sigma {@code author}), or null
 * @param license the rule's licence (SigmaHQ: Detection Rule License 1.1), or null
 * @param status Sigma {@code status} ({@code stable}, {@code test}, {@code experimental}, …), or null
 * @param steps the step names a temporal correlation needs (in order for
 *     {@link Shape#TEMPORAL_ORDERED}); a hit's {@link RuleHit#step()} names one; empty otherwise
 * @param condition when a window fires, all criteria joined by AND; {@code gte threshold} when not
 *     given
 */
public record RuleMeta(
        String id,
        int version,
        String name,
        String description,
        String severity,
        int riskScore,
        List<String> tactics,
        List<String> techniques,
        List<String> tags,
        String falsePositives,
        List<String> references,
        Shape shape,
        List<String> groupBy,
        long windowMs,
        int threshold,
        String distinct,
        long suppressMs,
        String file,
        String ruleset,
        String author,
        String license,
        String status,
        List<String> steps,
        List<Comparison> condition) implements Serializable {

    /** The ruleset of Vigil's own DRL rules. */
    public static final String VIGIL = "vigil";
    /** The ruleset of compiled Sigma rules. */
    public static final String SIGMA = "sigma";

    public static final Set<String> SEVERITIES = Set.of("low", "medium", "high", "critical");

    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Set<String> KNOWN = Set.of("version", "name", "description", "severity", "riskScore",
            "tactics", "techniques", "tags", "falsePositives", "references", "shape", "groupBy", "window", "threshold",
            "distinct", "suppress");

    public RuleMeta {
        tactics = List.copyOf(tactics);
        techniques = List.copyOf(techniques);
        tags = List.copyOf(tags);
        references = List.copyOf(references);
        groupBy = List.copyOf(groupBy);
        ruleset = ruleset == null ? VIGIL : ruleset;
        steps = steps == null ? List.of() : List.copyOf(steps);
        condition = condition == null || condition.isEmpty() ? List.of(Comparison.atLeast(threshold))
                : List.copyOf(condition);
    }

    /** The rule's metadata with only the fields a DRL rule declares (ruleset {@value #VIGIL}). */
    public RuleMeta(String id, int version, String name, String description, String severity, int riskScore,
                    List<String> tactics, List<String> techniques, List<String> tags, String falsePositives,
                    List<String> references, Shape shape, List<String> groupBy, long windowMs, int threshold,
                    String distinct, long suppressMs, String file) {
        this(id, version, name, description, severity, riskScore, tactics, techniques, tags, falsePositives,
                references, shape, groupBy, windowMs, threshold, distinct, suppressMs, file, VIGIL, null, null, null,
                List.of(), List.of());
    }

    /** Whether a window with {@code x} events (or that sum or average) meets the condition. */
    public boolean fires(double x) {
        return Comparison.all(condition, x);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds metadata field by field (compiled Sigma rules; tests). */
    public static final class Builder {
        private String id;
        private int version = 1;
        private String name;
        private String description;
        private String severity = "medium";
        private int riskScore = 47;
        private List<String> tactics = List.of();
        private List<String> techniques = List.of();
        private List<String> tags = List.of();
        private String falsePositives;
        private List<String> references = List.of();
        private Shape shape = Shape.SINGLE;
        private List<String> groupBy = List.of();
        private long windowMs;
        private int threshold = 1;
        private String distinct;
        private long suppressMs;
        private String file;
        private String ruleset = VIGIL;
        private String author;
        private String license;
        private String status;
        private List<String> steps = List.of();
        private List<Comparison> condition = List.of();

        private Builder() {}

        public Builder id(String v) { id = v; return this; }
        public Builder version(int v) { version = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder severity(String v) { severity = v; return this; }
        public Builder riskScore(int v) { riskScore = v; return this; }
        public Builder tactics(List<String> v) { tactics = v; return this; }
        public Builder techniques(List<String> v) { techniques = v; return this; }
        public Builder tags(List<String> v) { tags = v; return this; }
        public Builder falsePositives(String v) { falsePositives = v; return this; }
        public Builder references(List<String> v) { references = v; return this; }
        public Builder shape(Shape v) { shape = v; return this; }
        public Builder groupBy(List<String> v) { groupBy = v; return this; }
        public Builder windowMs(long v) { windowMs = v; return this; }
        public Builder threshold(int v) { threshold = v; return this; }
        public Builder distinct(String v) { distinct = v; return this; }
        public Builder suppressMs(long v) { suppressMs = v; return this; }
        public Builder file(String v) { file = v; return this; }
        public Builder ruleset(String v) { ruleset = v; return this; }
        public Builder author(String v) { author = v; return this; }
        public Builder license(String v) { license = v; return this; }
        public Builder status(String v) { status = v; return this; }
        public Builder steps(List<String> v) { steps = v; return this; }
        public Builder condition(List<Comparison> v) { condition = v; return this; }

        public RuleMeta build() {
            java.util.Objects.requireNonNull(id, "id");
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(shape, "shape");
            return new RuleMeta(id, version, name, description, severity, riskScore, tactics, techniques, tags,
                    falsePositives, references, shape, groupBy, windowMs, threshold, distinct, suppressMs, file,
                    ruleset, author, license, status, steps, condition);
        }
    }

    /**
     * Reads and validates the metadata of rule {@code id} declared in {@code file}.
     *
     * @param problems where each problem found is added, naming the annotation
     * @return the metadata, or {@code null} when a problem makes it unusable
     */
    public static RuleMeta parse(String id, Map<String, Object> declared, String file, List<String> problems) {
        int before = problems.size();
        Map<String, Object> meta = normalize(declared);
        if (!ID.matcher(id).matches()) {
            problems.add("rule id '" + id + "' is not kebab-case (a-z, 0-9, '-')");
        }
        for (String key : meta.keySet()) {
            if (!KNOWN.contains(key)) {
                problems.add("unknown annotation @" + key + " (known: " + KNOWN + ")");
            }
        }
        int version = intValue(meta, "version", 1, problems);
        String name = required(meta, "name", problems);
        String description = required(meta, "description", problems);
        String severity = required(meta, "severity", problems);
        if (severity != null) {
            severity = severity.toLowerCase(Locale.ROOT);
            if (!SEVERITIES.contains(severity)) {
                problems.add("@severity must be one of " + SEVERITIES + ", not '" + severity + "'");
            }
        }
        int riskScore = intValue(meta, "riskScore", -1, problems);
        if (riskScore < 0 || riskScore > 100) {
            problems.add("@riskScore must be 0-100, not " + riskScore);
        }
        List<String> tactics = list(meta, "tactics");
        List<String> techniques = list(meta, "techniques");
        tactics.stream().filter(t -> !Attack.isTacticId(t))
                .forEach(t -> problems.add("@tactics: '" + t + "' is not an ATT&CK tactic id (TA0006)"));
        techniques.stream().filter(t -> !Attack.isTechniqueId(t))
                .forEach(t -> problems.add("@techniques: '" + t + "' is not an ATT&CK technique id (T1110.001)"));
        if (tactics.isEmpty() || techniques.isEmpty()) {
            problems.add("@tactics and @techniques name at least one ATT&CK id each");
        }
        Shape shape = null;
        String shapeText = required(meta, "shape", problems);
        if (shapeText != null) {
            try {
                shape = Shape.parse(shapeText);
                if (!Shape.DRL.contains(shape)) {
                    problems.add("@shape '" + shapeText + "' is a Sigma correlation shape; a DRL rule has one of "
                            + Shape.DRL);
                    shape = null;
                }
            } catch (IllegalArgumentException e) {
                problems.add("@shape must be one of " + Shape.DRL + ", not '" + shapeText + "'");
            }
        }
        List<String> groupBy = list(meta, "groupBy");
        if (groupBy.isEmpty()) {
            problems.add("@groupBy names the ECS field(s) alerts are grouped by");
        }
        long window = duration(meta, "window", 0, problems);
        int threshold = intValue(meta, "threshold", 1, problems);
        String distinct = text(meta, "distinct");
        if (shape != null && shape != Shape.SINGLE) {
            if (window <= 0) {
                problems.add("@window is required for a " + shape + " rule");
            }
            if (threshold < 1) {
                problems.add("@threshold must be at least 1");
            }
        }
        if (shape == Shape.DISTINCT && distinct == null) {
            problems.add("@distinct names the ECS field whose distinct values are counted");
        }
        long suppress = duration(meta, "suppress", shape == Shape.SINGLE ? 0 : window, problems);
        if (problems.size() > before) {
            return null;
        }
        return new RuleMeta(id, version, name, description, severity, riskScore, tactics, techniques,
                list(meta, "tags"), text(meta, "falsePositives"), list(meta, "references"), shape, groupBy, window,
                threshold, distinct, suppress, file, VIGIL, AlertProvenance.drlAuthor(file), null, null, List.of(),
                List.of());
    }

    /**
     * Drools reports some annotations under the name of a built-in annotation type
     * ({@code @description} as {@code org.kie.api.definition.type.Description}): use the simple name.
     */
    private static Map<String, Object> normalize(Map<String, Object> declared) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        declared.forEach((k, v) -> {
            String key = k.contains(".") ? k.substring(k.lastIndexOf('.') + 1) : k;
            out.put(Character.toLowerCase(key.charAt(0)) + key.substring(1), v);
        });
        return out;
    }

    /** Parses {@code 60s}, {@code 10m}, {@code 1h}, {@code 500ms}, {@code 1d}. */
    public static long parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use 500ms, 60s, 10m, 1h, 1d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> Duration.ofSeconds(n).toMillis();
            case "m" -> Duration.ofMinutes(n).toMillis();
            case "h" -> Duration.ofHours(n).toMillis();
            default -> Duration.ofDays(n).toMillis();
        };
    }

    private static String text(Map<String, Object> meta, String key) {
        Object v = meta.get(key);
        if (v == null) {
            return null;
        }
        String s = String.valueOf(v).trim();
        // Drools keeps the quotes of some annotation values
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.isEmpty() ? null : s;
    }

    private static String required(Map<String, Object> meta, String key, List<String> problems) {
        String v = text(meta, key);
        if (v == null) {
            problems.add("@" + key + " is required");
        }
        return v;
    }

    private static List<String> list(Map<String, Object> meta, String key) {
        String v = text(meta, key);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static int intValue(Map<String, Object> meta, String key, int dflt, List<String> problems) {
        String v = text(meta, key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            problems.add("@" + key + " must be a whole number, not '" + v + "'");
            return dflt;
        }
    }

    private static long duration(Map<String, Object> meta, String key, long dflt, List<String> problems) {
        String v = text(meta, key);
        if (v == null) {
            return dflt;
        }
        try {
            return parseDuration(v);
        } catch (IllegalArgumentException e) {
            problems.add("@" + key + ": " + e.getMessage());
            return dflt;
        }
    }
}
