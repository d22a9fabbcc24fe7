package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.triage.Actor;
import io.vigil.cli.triage.IncidentTriage;
import io.vigil.jobs.wiring.ElasticsearchAccess;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import io.vigil.model.text.SafeText;
import io.vigil.rules.RuleMeta;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil incidents}: triage from the command line, every action audited first (the
 * append-only audit log), then written to the incident and its timeline.
 * Everything printed from Elasticsearch's documents is escaped ({@link SafeText}): titles,
 * summaries and entities quote what attackers wrote.
 */
@Command(name = "incidents", mixinStandardHelpOptions = true,
        description = "List incidents, show one with its timeline, and acknowledge, assign or close them. "
                + "Every action is first written to the append-only audit log (vigil-audit-*), then to the incident "
                + "and its timeline, with who, when and why. On a secured cluster the actor is the identity the "
                + "credentials authenticate.",
        subcommands = {IncidentsCommand.ListIncidents.class, IncidentsCommand.Show.class, IncidentsCommand.Ack.class,
            IncidentsCommand.Assign.class, IncidentsCommand.Close.class})
public final class IncidentsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "say what to do: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** Where the Elasticsearch variables, {@code $VIGIL_ANALYST} among them, are read (tests give their own). */
    Function<String, String> getenv = System::getenv;

    /** Where Elasticsearch is, and a triage session on it. */
    static final class Connection {
        @CommandLine.Mixin
        ElasticsearchOptions options = new ElasticsearchOptions();

        <T> T with(IncidentsCommand incidents, EsCall<T> call) throws Exception {
            ElasticsearchAccess access = options.access(incidents.getenv);
            try (RestClient rest = access.restClient()) {
                return call.apply(new IncidentTriage(rest), access, rest);
            } catch (IOException e) {
                // an untrusted certificate, refused credentials, a node out of reach: said plainly
                throw access.explain(e);
            }
        }
    }

    interface EsCall<T> {
        T apply(IncidentTriage triage, ElasticsearchAccess access, RestClient rest) throws Exception;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Incidents (not merged into another), highest risk first.")
    static final class ListIncidents implements Callable<Integer> {
        @CommandLine.Mixin
        Connection es = new Connection();

        @CommandLine.ParentCommand
        IncidentsCommand incidents;

        @Option(names = "--status", paramLabel = "STATUS", description = "open, acknowledged or closed.")
        String status;

        @Option(names = "--severity", paramLabel = "SEVERITY", description = "low, medium, high or critical.")
        String severity;

        @Option(names = "--since", paramLabel = "WHEN",
                description = "Last seen within this long (24h, 7d) or since this instant (2024-06-01T00:00:00Z).")
        String since;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N. Default: ${DEFAULT-VALUE}.")
        int limit;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (status != null && !Incident.STATUSES.contains(status)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--status must be one of " + Incident.STATUSES + ", not '" + status + "'");
            }
            if (severity != null && !RuleMeta.SEVERITIES.contains(severity)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--severity must be one of low, medium, high, critical, not '" + severity + "'");
            }
            Instant from = since == null ? null : since(spec, since);
            List<JsonNode> found = es.with(incidents, (t, access, rest) -> t.list(status, severity, from, limit));
            PrintWriter out = spec.commandLine().getOut();
            if (found.isEmpty()) {
                out.println("no incidents");
                return VigilCli.OK;
            }
            out.printf("%-32s  %-12s  %-8s  %4s  %6s  %-20s  %-12s  %s%n", "ID", "STATUS", "SEVERITY", "RISK", "ALERTS",
                    "LAST SEEN", "ASSIGNEE", "TITLE");
            for (JsonNode d : found) {
                JsonNode i = d.at("/vigil/incident");
                out.printf("%-32s  %-12s  %-8s  %4d  %6d  %-20s  %-12s  %s%n", text(i.path("id")),
                        text(i.path("status")), text(i.path("severity")), i.path("risk_score").asInt(),
                        i.path("alert_count").asLong(), text(i.path("last_seen")), text(i.path("assignee"), "-"),
                        text(i.path("title")));
            }
            out.flush();
            return VigilCli.OK;
        }
    }

    static Instant since(CommandLine.Model.CommandSpec spec, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeException notAnInstant) {
            try {
                return Instant.now().minusMillis(RuleMeta.parseDuration(value));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--since: give a duration (24h, 7d) or an instant (2024-06-01T00:00:00Z), not '" + value + "'");
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "An incident and its timeline: alerts, key events, analyst actions and webhook delivery "
                    + "attempts in time order.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Mixin
        Connection es = new Connection();

        @CommandLine.ParentCommand
        IncidentsCommand incidents;

        @Parameters(paramLabel = "ID")
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode[] doc = new JsonNode[1];
            List<JsonNode> timeline = es.with(incidents, (t, access, rest) -> {
                doc[0] = t.get(id);
                return t.timeline(id);
            });
            PrintWriter out = spec.commandLine().getOut();
            JsonNode i = doc[0].at("/vigil/incident");
            out.printf("Incident %s: %s%n", SafeText.escape(id), text(i.path("title")));
            out.printf("  status %s, severity %s, risk %d, %d alerts, assignee %s%s%n", text(i.path("status")),
                    text(i.path("severity")), i.path("risk_score").asInt(), i.path("alert_count").asLong(),
                    text(i.path("assignee"), "-"),
                    i.has("close_reason") ? ", closed: " + text(i.path("close_reason")) : "");
            out.printf("  first seen %s, last seen %s%n", text(i.path("first_seen")), text(i.path("last_seen")));
            out.printf("  tactics: %s%n", join(i.path("tactics")));
            out.printf("  rules: %s%n", join(i.path("rule_ids")));
            out.printf("  entities: %s%n", entities(doc[0]));
            if (i.has("merged_into")) {
                out.printf("  merged into %s%n", text(i.path("merged_into")));
            }
            if (i.has("linked_to")) {
                out.printf("  continues closed incident %s%n", join(i.path("linked_to")));
            }
            out.printf("%n%-24s  %-8s  %-28s  %-40s  %s%n", "TIME", "KIND", "RULE / ACTION", "ENTITIES", "SUMMARY");
            for (JsonNode e : timeline) {
                JsonNode t = e.at("/vigil/timeline");
                String what = switch (t.path("kind").asText()) {
                    case TimelineEntry.ACTION -> t.path("action").asText() + " by " + t.path("actor").asText();
                    // what was sent: an alert (of its rule) or an incident change
                    case TimelineEntry.DELIVERY -> (e.at("/vigil/delivery/subject/kind").asText("?")
                            + " " + e.at("/rule/id").asText("")).strip();
                    default -> e.at("/rule/id").asText();
                };
                out.printf("%-24s  %-8s  %-28s  %-40s  %s%n", text(e.path("@timestamp")), text(t.path("kind")),
                        SafeText.escape(what), entities(e), text(t.path("summary")));
            }
            out.flush();
            return VigilCli.OK;
        }
    }

    /** A document's value as text to print, escaped. */
    static String text(JsonNode value) {
        return SafeText.escape(value.asText());
    }

    /** A document's value as text to print, escaped, or {@code missing} when there is none. */
    static String text(JsonNode value, String missing) {
        return SafeText.escape(value.asText(missing));
    }

    /** The values of an array, escaped, joined by commas; {@code -} when there are none. */
    static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(text(v)));
        return out.isEmpty() ? "-" : String.join(", ", out);
    }

    static String entities(JsonNode doc) {
        List<String> out = new ArrayList<>();
        for (String[] f : new String[][] {{"source.ip", "/source/ip"}, {"user.name", "/user/name"},
            {"user.target.name", "/user/target/name"}, {"host.name", "/host/name"}}) {
            JsonNode v = doc.at(f[1]);
            if (v.isArray() && !v.isEmpty()) {
                out.add(f[0] + "=" + join(v));
            } else if (v.isValueNode()) {
                out.add(f[0] + "=" + text(v));
            }
        }
        return out.isEmpty() ? "-" : String.join(" ", out);
    }

    /** Options every action shares. */
    abstract static class ActionCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Connection es = new Connection();

        @CommandLine.ParentCommand
        IncidentsCommand incidents;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--as", paramLabel = "USER",
                description = "Who acts, on a cluster without security (default: $VIGIL_ANALYST, else the login name); "
                        + "recorded as unverified. On a secured cluster the actor is the identity Elasticsearch "
                        + "authenticates, and --as is refused unless it names that identity.")
        String actor;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract IncidentTriage.Action action();

        String assignee() {
            return null;
        }

        String reason() {
            return null;
        }

        @Override
        public Integer call() throws Exception {
            try {
                TimelineEntry e = es.with(incidents, (t, access, rest) -> t.act(id, action(),
                        Actor.of(access.identity(rest), actor, Actor.defaultName(incidents.getenv)), assignee(), reason(),
                        Instant.now()));
                spec.commandLine().getOut().println(SafeText.escape(e.summary()) + " (" + e.timestamp() + ")");
                spec.commandLine().getOut().flush();
                return VigilCli.OK;
            } catch (IncidentTriage.TriageException e) {
                spec.commandLine().getErr().println("vigil incidents " + action().word + ": "
                        + SafeText.escape(e.getMessage()));
                return VigilCli.FAILURE;
            }
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge an incident: someone is on it.")
    static final class Ack extends ActionCommand {
        @Option(names = "--reason", paramLabel = "TEXT", description = "A note for the timeline.")
        String reason;

        @Override
        IncidentTriage.Action action() {
            return IncidentTriage.Action.ACK;
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true, description = "Assign an incident to an analyst.")
    static final class Assign extends ActionCommand {
        @Option(names = "--to", paramLabel = "USER", required = true, description = "The analyst.")
        String to;

        @Option(names = "--reason", paramLabel = "TEXT", description = "A note for the timeline.")
        String reason;

        @Override
        IncidentTriage.Action action() {
            return IncidentTriage.Action.ASSIGN;
        }

        @Override
        String assignee() {
            return to;
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, description = "Close an incident, saying why.")
    static final class Close extends ActionCommand {
        @Option(names = "--reason", paramLabel = "TEXT", required = true,
                description = "Why: resolved, false positive, duplicate, …")
        String reason;

        @Override
        IncidentTriage.Action action() {
            return IncidentTriage.Action.CLOSE;
        }

        @Override
        String reason() {
            return reason;
        }
    }
}
