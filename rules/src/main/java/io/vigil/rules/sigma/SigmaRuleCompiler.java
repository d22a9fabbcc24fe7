package io.vigil.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.rules.Comparison;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RuleProblem;
import io.vigil.rules.RuleSource;
import io.vigil.rules.Shape;
import io.vigil.rules.SigmaCompiler;
import io.vigil.rules.SigmaRuleSet;
import io.vigil.rules.SigmaStatus;
import io.vigil.rules.SigmaStatus.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles Sigma files: detection rules into matcher trees grouped by log source, filters into
 * exclusions of the rules they name, correlations into {@link RuleMeta} and the feeds that make
 * their hits. Mapping ({@code vigil-logsources:}) and placeholder ({@code vigil-placeholders:})
 * documents among the sources apply to every rule of the compilation. Whatever is wrong with a
 * document is a problem (or "unsupported") of that document, never an exception.
 */
public final class SigmaRuleCompiler implements SigmaCompiler {

    private static final Logger LOG = LoggerFactory.getLogger(SigmaRuleCompiler.class);

    private static final Map<String, Shape> SHAPES = Map.of("event_count", Shape.THRESHOLD, "value_count",
            Shape.DISTINCT, "temporal", Shape.TEMPORAL, "temporal_ordered", Shape.TEMPORAL_ORDERED, "value_sum",
            Shape.VALUE_SUM, "value_avg", Shape.VALUE_AVG);

    /** One document of a file. */
    private record Doc(String file, JsonNode node) {}

    @Override
    public SigmaRuleSet compile(List<RuleSource> sources) {
        return new Compilation().run(sources);
    }

    /** The state of one compilation. */
    private static final class Compilation {
        final FieldTable table = new FieldTable();
        final LogSources logSources = LogSources.packaged().copy();
        final Map<String, List<String>> placeholders = new HashMap<>();
        final Map<String, String> licenses = new HashMap<>();
        final List<RuleProblem> problems = new ArrayList<>();
        final List<SigmaStatus> statuses = new ArrayList<>();
        final Map<String, CompiledRule> byId = new LinkedHashMap<>();
        final Map<String, CompiledRule> byName = new HashMap<>();
        final Map<String, String> seenIds = new HashMap<>();
        final Map<String, RuleMeta> correlations = new LinkedHashMap<>();
        final java.util.Set<String> correlationNames = new java.util.HashSet<>();

        SigmaRuleSet run(List<RuleSource> sources) {
            List<Doc> rules = new ArrayList<>();
            List<Doc> filters = new ArrayList<>();
            List<Doc> correlationDocs = new ArrayList<>();
            for (RuleSource s : sources) {
                if (!s.isSigma()) {
                    continue;
                }
                List<JsonNode> docs;
                try {
                    docs = SigmaYaml.documents(s.drl());
                } catch (SigmaException e) {
                    report(s.file(), null, null, "file", "", State.PROBLEM, e.getMessage());
                    continue;
                }
                for (JsonNode d : docs) {
                    if (!d.isObject()) {
                        report(s.file(), null, null, "file", "", State.PROBLEM, "a document is not a map");
                    } else if (d.has(SigmaYaml.LOGSOURCES) || d.has(SigmaYaml.PLACEHOLDERS) || d.has(SigmaYaml.LICENSES)) {
                        directives(s.file(), d);
                    } else if (d.has("correlation")) {
                        correlationDocs.add(new Doc(s.file(), d));
                    } else if (d.has("filter")) {
                        filters.add(new Doc(s.file(), d));
                    } else {
                        rules.add(new Doc(s.file(), d));
                    }
                }
            }
            for (Doc d : correlationDocs) {
                for (String k : new String[] {"id", "name"}) {
                    String v = SigmaMetadata.text(d.node(), k);
                    if (v != null) {
                        correlationNames.add(v);
                    }
                }
            }
            rules.forEach(this::rule);
            filters.forEach(this::filter);
            correlationDocs.forEach(this::correlation);
            return result();
        }

        private void directives(String file, JsonNode d) {
            try {
                if (d.has(SigmaYaml.LOGSOURCES)) {
                    logSources.add(d.get(SigmaYaml.LOGSOURCES), file);
                }
                JsonNode ph = d.get(SigmaYaml.PLACEHOLDERS);
                if (ph != null) {
                    if (!ph.isObject()) {
                        throw SigmaException.problem(SigmaYaml.PLACEHOLDERS + " maps names to lists of values");
                    }
                    ph.fields().forEachRemaining(e -> placeholders.put(e.getKey(), SigmaMetadata.list(ph, e.getKey())));
                }
                JsonNode lic = d.get(SigmaYaml.LICENSES);
                if (lic != null && lic.isObject()) {
                    lic.fields().forEachRemaining(e -> licenses.put(e.getKey(), e.getValue().asText()));
                }
            } catch (SigmaException e) {
                report(file, null, null, "mapping", "", State.PROBLEM, e.getMessage());
            }
        }

        private void rule(Doc d) {
            JsonNode n = d.node();
            String id = SigmaMetadata.text(n, "id");
            String title = SigmaMetadata.text(n, "title");
            LogSourceKey key = LogSourceKey.of(n.get("logsource"));
            try {
                require(n, "title", "id", "logsource", "detection");
                claimId(id, d.file());
                if (!n.get("logsource").isObject()) {
                    throw SigmaException.problem("logsource is not a map");
                }
                LogSourceMapping mapping = logSources.selecting(key);
                if (mapping == null) {
                    // still check the detection's shape, so a broken rule reads as a problem first
                    throw SigmaException.unsupported("no mapping selects log source " + key);
                }
                ValueCompiler.Fields fields = logSources.fieldsOf(key, table);
                Matcher detection = DetectionCompiler.compile(n.get("detection"), new ValueCompiler(fields, placeholders));
                RuleMeta meta = SigmaMetadata.of(n, id, d.file(), licenses.get(d.file()))
                        .groupBy(logSources.groupBy(key)).build();
                CompiledRule r = new CompiledRule(meta, SigmaMetadata.text(n, "name"), key, detection, fields::field);
                byId.put(id, r);
                if (r.name != null) {
                    byName.put(r.name, r);
                }
                report(d.file(), id, title, "rule", key.toString(), State.COMPILED, null);
            } catch (SigmaException e) {
                report(d.file(), id, title, "rule", key.toString(), e.isUnsupported() ? State.UNSUPPORTED : State.PROBLEM,
                        e.getMessage());
            }
        }

        private void filter(Doc d) {
            JsonNode n = d.node();
            String id = SigmaMetadata.text(n, "id");
            String title = SigmaMetadata.text(n, "title");
            LogSourceKey key = LogSourceKey.of(n.get("logsource"));
            try {
                require(n, "title", "logsource", "filter");
                if (id != null) {
                    claimId(id, d.file());
                }
                JsonNode filter = n.get("filter");
                List<String> refs = SigmaMetadata.list(filter, "rules");
                if (refs.isEmpty()) {
                    throw SigmaException.problem("filter.rules names no rule");
                }
                int applied = 0;
                for (String ref : refs) {
                    CompiledRule r = lookup(ref);
                    if (r == null) {
                        continue; // a filter may name rules this set does not load
                    }
                    ValueCompiler values = new ValueCompiler(logSources.fieldsOf(r.logSource, table), placeholders);
                    r.exclusions.add(DetectionCompiler.compile(filter, values));
                    applied++;
                }
                report(d.file(), id, title, "filter", key.toString(), State.COMPILED, null);
                LOG.debug("filter '{}' applies to {} of {} rules it names", title, applied, refs.size());
            } catch (SigmaException e) {
                report(d.file(), id, title, "filter", key.toString(),
                        e.isUnsupported() ? State.UNSUPPORTED : State.PROBLEM, e.getMessage());
            }
        }

        private void correlation(Doc d) {
            JsonNode n = d.node();
            String title = SigmaMetadata.text(n, "title");
            String id = SigmaMetadata.text(n, "id");
            if (id == null) {
                // the specification's examples carry none: a stable id from where it is
                id = UUID.nameUUIDFromBytes((d.file() + "\n" + title).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString();
            }
            try {
                require(n, "title", "correlation");
                claimId(id, d.file());
                JsonNode c = n.get("correlation");
                String type = SigmaMetadata.text(c, "type");
                if ("value_percentile".equals(type)) {
                    throw SigmaException.unsupported("correlation type value_percentile is not run");
                }
                Shape shape = type == null ? null : SHAPES.get(type);
                if (shape == null) {
                    throw SigmaException.problem("correlation type '" + type + "' is not one of " + SHAPES.keySet()
                            + " or value_percentile");
                }
                List<String> refs = SigmaMetadata.list(c, "rules");
                if (refs.isEmpty()) {
                    throw SigmaException.problem("correlation.rules names no rule");
                }
                String timespan = SigmaMetadata.text(c, "timespan");
                if (timespan == null) {
                    throw SigmaException.problem("correlation.timespan is missing");
                }
                long window;
                try {
                    window = RuleMeta.parseDuration(timespan);
                } catch (IllegalArgumentException e) {
                    throw SigmaException.problem("correlation.timespan: " + e.getMessage());
                }
                List<String> groupBy = SigmaMetadata.list(c, "group-by");
                JsonNode cond = c.get("condition");
                List<Comparison> comparisons = new ArrayList<>();
                String field = null;
                if (cond != null && cond.isObject()) {
                    for (var it = cond.fields(); it.hasNext(); ) {
                        var e = it.next();
                        if (e.getKey().equals("field")) {
                            field = e.getValue().asText();
                        } else if (Comparison.OPS.contains(e.getKey()) && e.getValue().isNumber()) {
                            comparisons.add(new Comparison(e.getKey(), e.getValue().asDouble()));
                        } else {
                            throw SigmaException.problem("correlation.condition: '" + e.getKey() + ": "
                                    + e.getValue().asText() + "' is not a comparison with a number");
                        }
                    }
                } else if (cond != null && !cond.isNull()) {
                    throw SigmaException.problem("correlation.condition is a map of comparisons");
                }
                boolean temporal = shape == Shape.TEMPORAL || shape == Shape.TEMPORAL_ORDERED;
                if (comparisons.isEmpty()) {
                    if (!temporal) {
                        throw SigmaException.problem("correlation.condition compares the " + type + " with a number");
                    }
                    comparisons.add(Comparison.atLeast(refs.size())); // every step
                }
                boolean valued = shape == Shape.DISTINCT || shape == Shape.VALUE_SUM || shape == Shape.VALUE_AVG;
                if (valued && field == null) {
                    throw SigmaException.problem("correlation.condition.field names the field " + type + " reads");
                }
                JsonNode aliases = c.get("aliases");
                List<CorrelationFeed> feeds = new ArrayList<>();
                List<CompiledRule> fed = new ArrayList<>();
                for (String ref : refs) {
                    if (correlations.containsKey(ref) || correlationNamed(ref)) {
                        throw SigmaException.unsupported("correlates correlation '" + ref + "': chained correlations are not run");
                    }
                    CompiledRule r = lookup(ref);
                    if (r == null) {
                        SigmaStatus s = statusOf(ref);
                        if (s != null && s.state() == State.UNSUPPORTED) {
                            throw SigmaException.unsupported("correlated rule '" + ref + "' is unsupported (" + s.reason() + ")");
                        }
                        throw SigmaException.problem("correlated rule '" + ref + "' is "
                                + (s == null ? "not among the sources" : "not compiled (" + s.reason() + ")"));
                    }
                    FieldAccess[] keys = new FieldAccess[groupBy.size()];
                    for (int i = 0; i < keys.length; i++) {
                        keys[i] = r.fields.field(alias(aliases, groupBy.get(i), r, ref));
                    }
                    FieldAccess value = valued ? r.fields.field(alias(aliases, field, r, ref)) : null;
                    feeds.add(new CorrelationFeed(id, shape, ref, keys, value));
                    fed.add(r);
                }
                boolean generate = c.path("generate").asBoolean(false) || n.path("generate").asBoolean(false);
                int threshold = 1;
                for (Comparison cmp : comparisons) {
                    if (cmp.op().equals("gte")) {
                        threshold = (int) Math.max(1, Math.ceil(cmp.value()));
                    } else if (cmp.op().equals("gt")) {
                        threshold = (int) Math.max(1, Math.floor(cmp.value()) + 1);
                    }
                }
                RuleMeta meta = SigmaMetadata.of(n, id, d.file(), licenses.get(d.file())).shape(shape).groupBy(groupBy)
                        .windowMs(window).suppressMs(window).threshold(threshold).condition(comparisons)
                        .distinct(valued ? field : null).steps(temporal ? refs : List.of()).build();
                for (int i = 0; i < fed.size(); i++) {
                    CompiledRule r = fed.get(i);
                    r.feeds.add(feeds.get(i));
                    if (!generate && !r.generateKept) {
                        r.alerts = false;
                    }
                    if (generate) {
                        r.generateKept = true;
                        r.alerts = true;
                    }
                }
                correlations.put(id, meta);
                report(d.file(), id, title, "correlation", "", State.COMPILED, null);
            } catch (SigmaException e) {
                report(d.file(), id, title, "correlation", "", e.isUnsupported() ? State.UNSUPPORTED : State.PROBLEM,
                        e.getMessage());
            }
        }

        /** The field rule {@code r} (listed as {@code ref}) reads for {@code field}: its alias, else the name itself. */
        private static String alias(JsonNode aliases, String field, CompiledRule r, String ref) {
            JsonNode a = aliases == null ? null : aliases.get(field);
            if (a != null && a.isObject()) {
                for (String k : new String[] {ref, r.id(), r.name}) {
                    if (k != null && a.hasNonNull(k)) {
                        return a.get(k).asText();
                    }
                }
            }
            return field;
        }

        private boolean correlationNamed(String ref) {
            return correlationNames.contains(ref);
        }

        private CompiledRule lookup(String ref) {
            CompiledRule r = byId.get(ref);
            return r != null ? r : byName.get(ref);
        }

        private SigmaStatus statusOf(String ref) {
            for (SigmaStatus s : statuses) {
                if (ref.equals(s.ruleId()) || ref.equals(s.title())) {
                    return s;
                }
            }
            return null;
        }

        private void claimId(String id, String file) throws SigmaException {
            String before = seenIds.putIfAbsent(id, file);
            if (before != null) {
                throw SigmaException.problem("duplicate id (also in " + before + ")");
            }
        }

        private static void require(JsonNode n, String... keys) throws SigmaException {
            for (String k : keys) {
                JsonNode v = n.get(k);
                if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
                    throw SigmaException.problem("'" + k + "' is missing");
                }
            }
            JsonNode detection = n.get("detection");
            if (detection != null && detection.isObject() && !detection.hasNonNull("condition")) {
                throw SigmaException.problem("'detection.condition' is missing");
            }
        }

        private void report(String file, String id, String title, String kind, String logSource, State state,
                            String reason) {
            statuses.add(new SigmaStatus(file, id, title, kind, logSource, state, reason));
            if (state == State.PROBLEM) {
                problems.add(new RuleProblem(file, 0, id != null ? id : title, reason + " (rule not active)"));
            }
        }

        private SigmaRuleSet result() {
            Map<String, RuleMeta> active = new LinkedHashMap<>();
            Map<LogSourceKey, List<CompiledRule>> byLogSource = new LinkedHashMap<>();
            for (CompiledRule r : byId.values()) {
                if (r.alerts) {
                    active.put(r.id(), r.meta);
                }
                if (r.alerts || !r.feeds.isEmpty()) {
                    byLogSource.computeIfAbsent(r.logSource, k -> new ArrayList<>()).add(r);
                }
            }
            active.putAll(correlations);
            List<LogSourceGroup> groups = new ArrayList<>();
            for (Map.Entry<LogSourceKey, List<CompiledRule>> e : byLogSource.entrySet()) {
                LogSourceMapping m = logSources.selecting(e.getKey());
                Matcher selects;
                try {
                    selects = selection(m.when());
                } catch (SigmaException ex) {
                    for (CompiledRule r : e.getValue()) {
                        active.remove(r.id());
                        report(r.meta.file(), r.id(), r.meta.name(), "rule", e.getKey().toString(), State.PROBLEM,
                                "the mapping of its log source (" + m.file() + ") does not compile: " + ex.getMessage());
                    }
                    continue;
                }
                groups.add(new LogSourceGroup(e.getKey(), selects, e.getValue()));
            }
            problems.forEach(p -> LOG.debug("sigma problem: {}", p));
            return new CompiledSigma(table, groups, active, problems, statuses);
        }

        /** A log source's {@code when}: a map (AND) or a list of maps (OR), in Sigma detection syntax over Vigil fields. */
        private Matcher selection(JsonNode when) throws SigmaException {
            ValueCompiler values = new ValueCompiler(LogSources.vigilFields(table), Map.of());
            List<Matcher> any = new ArrayList<>();
            for (JsonNode alt : when.isArray() ? when : List.of(when)) {
                List<Matcher> all = new ArrayList<>();
                for (var it = alt.fields(); it.hasNext(); ) {
                    var e = it.next();
                    all.add(values.entry(e.getKey(), e.getValue()));
                }
                if (all.isEmpty()) {
                    throw SigmaException.problem("an alternative of 'when' is empty");
                }
                any.add(Matchers.and(all));
            }
            if (any.isEmpty()) {
                throw SigmaException.problem("'when' is empty");
            }
            return Matchers.or(any);
        }
    }
}
