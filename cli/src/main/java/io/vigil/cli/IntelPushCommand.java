package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.context.ContextUpdate;
import io.vigil.context.intel.Indicator;
import io.vigil.context.intel.IndicatorFeeds;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.context.ContextTopic;
import io.vigil.jobs.wiring.Connections;
import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil intel push}: one context table onto the context control topic, checked first. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Push a context table to the running job through the context control topic "
                + "(enrich.control-topic of --config). It replaces the whole table of that kind and name; the topic is "
                + "compacted, so it keeps the latest of each. An intel feed is read here first as the job reads it: one "
                + "the job would refuse is not pushed.",
            "Prints the table's key, what was read, the topic and offset."},
        footer = {"", "Examples:",
            "  vigil intel push abuse-ch.json --name abuse-ch --config vigil.yaml",
            "  vigil intel push blocklist.csv --name blocklist --format csv --config vigil.yaml",
            "  vigil intel push hosts.csv --name hosts --kind assets --config vigil.yaml"})
final class IntelPushCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The table: a STIX 2.1 bundle, MISP event JSON or CSV "
            + "(intel), CSV or JSON (assets, identities).")
    Path file;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "The table's name (1 to 100 letters, digits, '.', '-', '_'); an intel feed's name is its "
                    + "threat.feed.name. Pushing the same kind and name again replaces the table.")
    String name;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "stix, misp, csv or json. Default: csv for .csv files; for JSON, stix when the file is a STIX "
                    + "bundle, misp when it is a MISP event (intel), json otherwise.")
    String format;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "intel",
            description = "intel (default), assets or identities.")
    String kind;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The job's configuration: kafka.* and enrich.control-topic (where the table is written).")
    Path config;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String shown = SafeText.escape(file.toString());
        if (!ContextUpdate.KINDS.contains(kind)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kind must be one of intel, assets, "
                    + "identities: " + SafeText.escape(kind));
        }
        if (Files.size(file) > ContextTopic.MAX_BODY_BYTES) {
            err.printf("vigil intel push: %s is %,d bytes: the context control topic holds tables up to %,d bytes%n",
                    shown, Files.size(file), ContextTopic.MAX_BODY_BYTES);
            return VigilCli.FAILURE;
        }
        byte[] body = Files.readAllBytes(file);
        String fmt = format != null ? format.toLowerCase(Locale.ROOT) : guessFormat(file, body, kind);
        ContextUpdate update;
        try {
            update = new ContextUpdate(kind, name, fmt, LiveRulesConfig.actor(), Instant.now(), body);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), SafeText.escape(e.getMessage()));
        }
        String read;
        try {
            read = check(update);
        } catch (IOException e) {
            err.printf("vigil intel push: %s is not a readable %s %s table: %s; not pushed%n", shown, fmt, kind,
                    SafeText.escape(e.getMessage()));
            return VigilCli.FAILURE;
        }
        VigilConfig c = VigilConfig.load(config);
        String topicName = c.get(VigilOptions.ENRICH_CONTROL_TOPIC);
        if (topicName == null || topicName.isBlank()) {
            err.printf("vigil intel push: %s sets enrich.control-topic empty: the job reads no live tables; "
                    + "not pushed%n", SafeText.escape(config.toString()));
            return VigilCli.FAILURE;
        }
        ContextTopic topic = new ContextTopic(Connections.kafka(c), topicName.strip(), System::getenv);
        long offset = topic.write(update);
        out.printf("Pushed %s (%s, %s, %,d bytes)%n", SafeText.escape(update.key()), fmt, read, body.length);
        out.printf("  offset  %d (topic %s)%n", offset, SafeText.escape(topic.topic()));
        out.printf("  at      %s by %s%n", update.at(), SafeText.escape(update.actor()));
        out.flush();
        return VigilCli.OK;
    }

    /** Reads the table as the job will; says what it holds. */
    static String check(ContextUpdate update) throws IOException {
        if (ContextUpdate.INTEL.equals(update.kind())) {
            if ("json".equals(update.format())) {
                throw new IOException("an intel feed is stix, misp or csv");
            }
            List<Indicator> indicators = IndicatorFeeds.parse(update.format(), update.body(), update.name());
            return indicators.size() + " indicator(s)";
        }
        // assets and identities: their part reads them in the job; here, what any reader needs
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(update.body())).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text");
        }
        switch (update.format()) {
            case "json" -> {
                JsonNode n = JSON.readTree(text);
                if (n == null || !(n.isArray() || n.isObject())) {
                    throw new IOException("not a JSON array or object");
                }
                return (n.isArray() ? n.size() : 1) + " JSON entr" + ((n.isArray() ? n.size() : 1) == 1 ? "y" : "ies");
            }
            case "csv" -> {
                long rows = text.lines().filter(l -> !l.isBlank()).count();
                if (rows < 2) {
                    throw new IOException("a CSV table needs a header line and at least one row");
                }
                return (rows - 1) + " row(s)";
            }
            default -> throw new IOException("an " + update.kind() + " table is csv or json");
        }
    }

    static String guessFormat(Path file, byte[] body, String kind) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv") || n.endsWith(".txt")) {
            return "csv";
        }
        if (!ContextUpdate.INTEL.equals(kind)) {
            return "json";
        }
        try {
            JsonNode doc = JSON.readTree(body);
            if (doc != null && "bundle".equals(doc.path("type").asText())) {
                return "stix";
            }
            if (doc != null && (doc.has("Event") || doc.has("response"))) {
                return "misp";
            }
        } catch (IOException e) {
            // broken JSON goes to the STIX reader, which says what is wrong with it; other text is CSV
            String start = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8).strip();
            return start.startsWith("{") || start.startsWith("[") ? "stix" : "csv";
        }
        return "stix";
    }
}
