package io.vigil.jobs.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.formats.input.Framers;
import io.vigil.formats.input.RecordFramer;
import io.vigil.model.Alert;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleProblem;
import io.vigil.rules.fixtures.LocalCorrelation;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SigmaHQ's regression tests: folders holding an {@code info.yml} (the rule's id under
 * {@code rule_metadata}, and under {@code regression_tests_info} each test's sample and expected
 * {@code match_count}) beside the sample: the Windows event log file the info names ({@code .evtx})
 * and the same events as evtx_dump JSON ({@code .json}, same base name). Which one a test runs is
 * the {@link Samples} choice: by default the {@code .evtx} when it is there, else the JSON (a rule
 * bundle may carry only JSON). A test runs its sample through the framing and decoders (format
 * detected, as a replay without {@code --format}: an {@code .evtx} is read natively) and the compiled rule, the way
 * the job does (evaluation, then correlation), and counts the rule's alerts: it passes when they
 * equal {@code match_count}, or, for a test without one (a positive test), when there is at least
 * one. The folders come from directories ({@code vigil sigma test}) or from a rule bundle's
 * {@code regression/} entries (the job's bundle check): {@link RegressionTree}.
 */
public final class SigmaRegression {

    /** The name of the file that describes a regression folder. */
    public static final String INFO = "info.yml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A fixed reference time: the samples carry their own years, this only completes syslog dates. */
    private static final Instant REFERENCE = Instant.parse("2025-01-01T00:00:00Z");

    /** The sample formats a test can run. */
    public static final String EVTX = "evtx";
    public static final String JSON = "json";

    /** Which sample of each test runs. */
    public enum Samples {
        /** The {@code .evtx} when it is there, else the evtx_dump JSON beside it. */
        PREFER_EVTX,
        /** The {@code .evtx} only: a test without one fails. */
        EVTX,
        /** The evtx_dump JSON only: a test without one fails. */
        JSON
    }

    /**
     * One regression test.
     *
     * @param info its {@code info.yml}, as {@code tree} names it
     * @param ruleId the rule tested
     * @param ruleTitle the rule's title as the info file gives it
     * @param name the test's name ("Positive Detection Test")
     * @param evtx the Windows event log file of the sample, beside the info file (its name from the info)
     * @param json the evtx_dump JSON of the sample, beside the info file (the same base name)
     * @param matchCount the expected alerts, or null for "at least one"
     * @param tree where the info file and the samples are read from
     */
    public record Case(String info, String ruleId, String ruleTitle, String name, String evtx, String json,
                       Integer matchCount, RegressionTree tree) {}

    /**
     * What a test gave.
     *
     * @param sampleFormat {@link #EVTX} or {@link #JSON}: which sample ran, or null when there was none
     */
    public record Outcome(Case test, long actual, boolean passed, String detail, String sampleFormat) {}

    private SigmaRegression() {}

    /** The tests of every {@code info.yml} under {@code dirs}, in path order. */
    public static List<Case> discover(List<Path> dirs) throws IOException {
        return discover(RegressionTree.of(dirs));
    }

    /** The tests of every {@code info.yml} of {@code tree}, in name order. */
    public static List<Case> discover(RegressionTree tree) throws IOException {
        List<String> infos = tree.infoFiles();
        List<Case> cases = new ArrayList<>();
        for (String info : infos) {
            JsonNode doc;
            try {
                doc = YAML.readTree(tree.read(info));
            } catch (IOException e) {
                throw new IOException(info + ": not readable as YAML: " + e.getMessage(), e);
            }
            if (doc == null) {
                continue;
            }
            JsonNode rule = doc.path("rule_metadata").path(0);
            String ruleId = rule.path("id").asText(null);
            String title = rule.path("title").asText("");
            for (JsonNode t : doc.path("regression_tests_info")) {
                String path = t.path("path").asText(null);
                if (path == null || ruleId == null) {
                    continue;
                }
                String file = Path.of(path).getFileName().toString();
                String base = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
                Integer expected = t.hasNonNull("match_count") ? t.get("match_count").asInt() : null;
                cases.add(new Case(info, ruleId, title, t.path("name").asText("test"), tree.sibling(info, base + ".evtx"),
                        tree.sibling(info, base + ".json"), expected, tree));
            }
        }
        return cases;
    }

    /** Runs every test against the rules of {@code pack}, each on its .evtx when it has one, else its JSON. */
    public static List<Outcome> run(List<Case> cases, RulePack pack) throws IOException {
        return run(cases, pack, Samples.PREFER_EVTX);
    }

    /** Runs every test against the rules of {@code pack}, on the samples {@code samples} chooses. */
    public static List<Outcome> run(List<Case> cases, RulePack pack, Samples samples) throws IOException {
        DecoderRegistry decoders = new DecoderRegistry(DecoderOptions.defaults());
        List<Outcome> out = new ArrayList<>();
        for (Case c : cases) {
            out.add(run(c, pack, decoders, samples));
        }
        return out;
    }

    private static Outcome run(Case c, RulePack pack, DecoderRegistry decoders, Samples samples) throws IOException {
        RuleMeta rule = pack.rule(c.ruleId());
        if (rule == null) {
            return new Outcome(c, 0, false, "rule " + c.ruleId() + " is not active: " + whyNot(pack, c.ruleId()), null);
        }
        byte[] evtx = samples == Samples.JSON ? null : c.tree().read(c.evtx());
        byte[] json = evtx != null || samples == Samples.EVTX ? null : c.tree().read(c.json());
        if (evtx == null && json == null) {
            String detail = samples == Samples.EVTX ? "no sample " + fileName(c.evtx()) + " beside " + INFO
                    : "no sample " + fileName(c.json()) + " beside " + INFO
                            + (samples == Samples.PREFER_EVTX ? " (nor " + fileName(c.evtx()) + ")" : "");
            return new Outcome(c, 0, false, detail, null);
        }
        String format = evtx != null ? EVTX : JSON;
        byte[] sample = evtx != null ? evtx : json;
        String sampleName = evtx != null ? c.evtx() : c.json();
        List<SecurityEvent> events = new ArrayList<>();
        long deadLetters = 0;
        String firstDeadLetter = null;
        try (InputStream in = new ByteArrayInputStream(sample);
             RecordFramer framer = Framers.open(in, sampleName, null, REFERENCE,
                     DecoderOptions.DEFAULT_MAX_RECORD_BYTES)) {
            for (RawRecord raw = framer.next(); raw != null; raw = framer.next()) {
                DecodeResult decoded = decoders.decode(raw);
                if (decoded.ok()) {
                    events.addAll(decoded.events());
                } else {
                    deadLetters++;
                    firstDeadLetter = firstDeadLetter != null ? firstDeadLetter : decoded.error();
                }
            }
        }
        // evaluation then correlation as the job does, windows closed at the end of the sample;
        // an alert re-emitted under its id (suppression) counts once
        List<Alert> alerts;
        try (RuleEvaluator evaluator = pack.newEvaluator(Set.of(rule.id()))) {
            alerts = LocalCorrelation.run(pack, evaluator, events).stream()
                    .filter(a -> a.ruleId().equals(rule.id())).toList();
        }
        java.util.TreeSet<Long> offsets = new java.util.TreeSet<>(); // where the alerts' events are in the sample
        alerts.forEach(a -> a.origins().forEach(o -> offsets.add(o.offset())));
        long matched = alerts.size();
        boolean passed = c.matchCount() != null ? matched == c.matchCount() : matched > 0;
        String expected = c.matchCount() != null ? Integer.toString(c.matchCount()) : "at least 1";
        // an origin's offset is a record number in JSON, a byte offset in an event log file
        String at = evtx != null ? " (the events at byte offsets " : " (the events at records ";
        String detail = "expected " + expected + ", matched " + matched + " on " + fileName(sampleName)
                + (passed || offsets.isEmpty() ? "" : at + offsets.stream().limit(10).map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + " of the sample)")
                + (deadLetters > 0 ? "; " + deadLetters + " record(s) not decoded, first: " + firstDeadLetter : "");
        return new Outcome(c, matched, passed, detail, format);
    }

    /** The last part of a file name in a tree (a path on disk or a bundle entry). */
    private static String fileName(String name) {
        return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    }

    private static String whyNot(RulePack pack, String ruleId) {
        for (io.vigil.rules.SigmaStatus st : pack.sigmaStatuses()) {
            if (ruleId.equals(st.ruleId()) && st.reason() != null) {
                return st.state().name().toLowerCase(java.util.Locale.ROOT) + ": " + st.reason();
            }
        }
        for (RuleProblem p : pack.problems()) {
            if (ruleId.equals(p.ruleId())) {
                return p.message();
            }
        }
        return "not found in the rule directories given";
    }
}
