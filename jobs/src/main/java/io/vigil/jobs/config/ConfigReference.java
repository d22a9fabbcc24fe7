package io.vigil.jobs.config;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.Description;
import org.apache.flink.configuration.description.Formatter;
import org.apache.flink.configuration.description.TextElement;

/**
 * The configuration reference, written from the typed options themselves ({@link VigilOptions},
 * {@link WebhookOptions}): every key with its type, default and meaning, so the documentation
 * cannot fall behind the code. {@code docs/configuration.md} is its Markdown form, and a test
 * fails when the committed file differs; {@code vigil config} prints the same keys as a table.
 */
public final class ConfigReference {

    /** Where the Markdown reference is kept, relative to the repository root. */
    public static final String FILE = "docs/configuration.md";
    /** The command that writes {@link #FILE} again, from the repository root. */
    public static final String REGENERATE = "./vigil config --reference > " + FILE;

    /** Sections of the reference, by the first part of their keys; keys of no section go under "Other". */
    private static final Map<String, String> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("kafka", "Kafka in and out");
        SECTIONS.put("elasticsearch", "Elasticsearch out");
        SECTIONS.put("decoding", "Decoding");
        SECTIONS.put("detection", "Detection");
        SECTIONS.put("enrich", "Context (docs/context.md)");
        SECTIONS.put("masking", "Masking (docs/masking.md)");
        SECTIONS.put("rules", "Live rules");
        SECTIONS.put("incidents", "Incidents");
        SECTIONS.put("webhooks", "Webhooks");
        SECTIONS.put("parallelism", "Flink");
        SECTIONS.put("state", "Flink");
        SECTIONS.put("checkpoints", "Flink");
        SECTIONS.put("flink", "Flink");
        SECTIONS.put("metrics", "Metrics (docs/metrics.md)");
    }

    private ConfigReference() {}

    /**
     * One key as the reference shows it.
     *
     * @param type {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code duration},
     *     {@code list}, {@code map}, or the values an enumeration allows
     * @param defaultValue the default as written in YAML, {@code required} or {@code none}
     */
    public record Key(String key, String type, String defaultValue, String description) {}

    /** The keys of {@code vigil.yaml}, sorted. */
    public static List<Key> keys() {
        return describe(VigilOptions.class, VigilOptions.required());
    }

    /** The keys of one webhook endpoint, under {@code webhooks.endpoints.NAME.}, sorted. */
    public static List<Key> webhookEndpointKeys() {
        return describe(WebhookOptions.class, List.of());
    }

    /** Writes the Markdown reference to the file given, or prints it. */
    public static void main(String[] args) throws IOException {
        if (args.length > 1) {
            System.err.println("usage: ConfigReference [FILE]");
            System.exit(2);
        }
        if (args.length == 1) {
            Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
        } else {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.print(markdown());
            out.flush();
        }
    }

    /** The reference as Markdown: {@link #FILE}. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n");
        md.append("<!-- Generated from the typed options (io.vigil.jobs.config.VigilOptions, WebhookOptions): do not "
                + "edit.\n     A test compares this file with the options; write it again with:\n     ")
                .append(REGENERATE).append(" -->\n\n");
        md.append("""
                Every key of the streaming job's configuration file (`vigil run --config FILE`, and `--config FILE` \
                of the job jar), with its type, default and meaning. `./vigil config` prints the same keys; \
                `./vigil config --check FILE` checks a file: every key known and of its type, the required keys \
                set, each topic's format one Vigil decodes, each rule a webhook endpoint filters on in the rule \
                pack the file runs. The job refuses what the check refuses. Example files: `deploy/vigil.yaml` \
                (a machine of its own) and `deploy/docker/vigil.yaml` (the Docker Compose stack).

                Nested and dotted keys are the same key: `kafka: {group-id: vigil}` is `kafka.group-id: vigil`. \
                Durations are written `500ms`, `10s`, `5m`, `24h` or `30d`; lists as YAML lists; maps as YAML \
                mappings. A key Vigil does not know is an error. Secrets are never values: a key ending in \
                `-env` names the environment variable that holds one.
                """);
        String section = null;
        for (Key k : sorted(keys())) {
            String title = section(k.key());
            if (!title.equals(section)) {
                section = title;
                md.append("\n## ").append(title).append("\n\n");
                tableHeader(md);
            }
            row(md, k);
        }
        md.append("\n## Webhook endpoint keys\n\n");
        md.append("Each endpoint is a map under `").append(WebhookOptions.PREFIX).append("NAME` (NAME: 1 to 63 "
                + "lower-case letters, digits, `-` and `_`), with these keys, for example `").append(WebhookOptions.PREFIX)
                .append("soar.url`.\n\n");
        tableHeader(md);
        webhookEndpointKeys().forEach(k -> row(md, k));
        return md.toString();
    }

    /** The keys in reference order: by section, then by key. */
    private static List<Key> sorted(List<Key> keys) {
        List<String> order = new ArrayList<>(new java.util.LinkedHashSet<>(SECTIONS.values()));
        order.add("Other");
        return keys.stream().sorted(Comparator.comparing((Key k) -> order.indexOf(section(k.key())))
                .thenComparing(Key::key)).toList();
    }

    private static String section(String key) {
        return SECTIONS.getOrDefault(key.split("\\.", 2)[0], "Other");
    }

    private static void tableHeader(StringBuilder md) {
        md.append("| Key | Type | Default | Meaning |\n|---|---|---|---|\n");
    }

    private static void row(StringBuilder md, Key k) {
        md.append("| `").append(k.key()).append("` | ").append(cell(k.type())).append(" | ")
                .append(k.defaultValue().equals("required") || k.defaultValue().equals("none") ? k.defaultValue()
                        : "`" + k.defaultValue().replace("|", "\\|") + "`")
                .append(" | ").append(cell(k.description())).append(" |\n");
    }

    /** Text for a Markdown table cell: on one line, no column break, no emphasis or HTML from the text. */
    private static String cell(String text) {
        return text.replace("\n", " ").replace("|", "\\|").replace("*", "\\*").replace("<", "&lt;");
    }

    private static List<Key> describe(Class<?> holder, List<ConfigOption<?>> required) {
        List<Key> keys = new ArrayList<>();
        for (Field f : holder.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !ConfigOption.class.isAssignableFrom(f.getType())) {
                continue;
            }
            ConfigOption<?> option;
            try {
                option = (ConfigOption<?>) f.get(null);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            String dflt = required.contains(option) ? "required"
                    : option.hasDefaultValue() ? yaml(option.defaultValue()) : "none";
            keys.add(new Key(option.key(), type(f), dflt, text(option.description())));
        }
        keys.sort(Comparator.comparing(Key::key));
        return keys;
    }

    /** The type of the option a field declares, from its type argument ({@code ConfigOption<Duration>}). */
    private static String type(Field f) {
        Type t = ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
        Class<?> c = (Class<?>) (t instanceof ParameterizedType p ? p.getRawType() : t);
        if (c.isEnum()) {
            return "one of: " + Arrays.stream(c.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }
        if (c == String.class) {
            return "string";
        }
        if (c == Integer.class || c == Long.class) {
            return "integer";
        }
        if (c == Double.class || c == Float.class) {
            return "number";
        }
        if (c == Boolean.class) {
            return "boolean";
        }
        if (c == Duration.class) {
            return "duration";
        }
        if (List.class.isAssignableFrom(c)) {
            return "list";
        }
        if (Map.class.isAssignableFrom(c)) {
            return "map";
        }
        throw new IllegalStateException("no reference type for " + f.getName() + " (" + c.getName() + ")");
    }

    /** A default as it is written in {@code vigil.yaml}; maps sorted, so the reference is stable. */
    static String yaml(Object value) {
        if (value instanceof Duration d) {
            return duration(d);
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty() ? "none" : new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        }
        String s = String.valueOf(value);
        return s.isEmpty() ? "\"\"" : s;
    }

    /**
     * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 24h}, {@code 30d}: the largest unit that is
     * exact, except that one day reads as {@code 24h}, the way the example files write it.
     */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms == 86_400_000L) {
            return "24h";
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    /** A description as plain text. */
    static String text(Description description) {
        return new PlainText().format(description);
    }

    /** Flink's description elements as plain text (Flink only ships an HTML formatter). */
    private static final class PlainText extends Formatter {

        @Override
        protected void formatLink(StringBuilder state, String link, String description) {
            state.append(description).append(" (").append(link).append(')');
        }

        @Override
        protected void formatLineBreak(StringBuilder state) {
            state.append('\n');
        }

        @Override
        protected void formatText(StringBuilder state, String format, String[] elements,
                                  EnumSet<TextElement.TextStyle> styles) {
            // Formatter doubled the format's own '%' signs for this
            state.append(String.format(format, (Object[]) elements));
        }

        @Override
        protected void formatList(StringBuilder state, String[] entries) {
            state.append(String.join("; ", entries));
        }

        @Override
        protected Formatter newInstance() {
            return new PlainText();
        }
    }
}
