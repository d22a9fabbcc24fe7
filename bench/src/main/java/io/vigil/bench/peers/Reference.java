package io.vigil.bench.peers;

import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RulePack;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.Signal;
import io.vigil.rules.correlate.CorrelationState;
import io.vigil.rules.correlate.Correlator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Vigil's semantics without Flink, and variants of them, to check why an engine's alerts differ:
 * the stream's events go through Vigil's own rule evaluation (Drools, the rules as packaged) and
 * the hits, in stream order, through Vigil's {@link Correlator}, once per variant, each with its
 * own state. A variant changes only the rule's metadata the correlator reads, so it changes one
 * named thing: with no suppression the window is still cleared when the rule fires; an
 * inclusive window ({@code window + 1 ms}: times are whole milliseconds) keeps events exactly a
 * window apart together. An engine whose alerts equal a variant's, alert for alert, differs from
 * Vigil by exactly that variant's change.
 */
final class Reference {

    /** A change to Vigil's correlation semantics. */
    enum Variant {
        VIGIL("Vigil's semantics", false, false),
        NO_SUPPRESSION("no suppression period after an alert (the window is still cleared)", true, false),
        INCLUSIVE_WINDOW("window boundary inclusive (events exactly a window apart share it)", false, true),
        NO_SUPPRESSION_INCLUSIVE_WINDOW("no suppression period, and an inclusive window boundary", true, true);

        final String description;
        final boolean noSuppression;
        final boolean inclusiveWindow;

        Variant(String description, boolean noSuppression, boolean inclusiveWindow) {
            this.description = description;
            this.noSuppression = noSuppression;
            this.inclusiveWindow = inclusiveWindow;
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        RuleMeta apply(RuleMeta m) {
            long window = inclusiveWindow ? m.windowMs() + 1 : m.windowMs();
            long suppress = noSuppression ? 0 : m.suppressMs();
            return new RuleMeta(m.id(), m.version(), m.name(), m.description(), m.severity(), m.riskScore(),
                    m.tactics(), m.techniques(), m.tags(), m.falsePositives(), m.references(), m.shape(),
                    m.groupBy(), window, m.threshold(), m.distinct(), suppress, m.file());
        }
    }

    private Reference() {}

    /** The alerts (first emissions) of {@code ruleIds} under each variant. */
    static Map<Variant, Set<PeerAlert>> alerts(AuthStream stream, RuleSet rules, Set<String> ruleIds) {
        Map<Variant, Map<String, RuleMeta>> metas = new LinkedHashMap<>();
        Map<Variant, Map<String, CorrelationState>> states = new LinkedHashMap<>();
        Map<Variant, Set<PeerAlert>> out = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            Map<String, RuleMeta> m = new HashMap<>();
            ruleIds.forEach(id -> m.put(id, v.apply(rules.rule(id))));
            metas.put(v, m);
            states.put(v, new HashMap<>());
            out.put(v, new TreeSet<>());
        }
        try (RuleEvaluator evaluator = RulePack.compile(rules.sources()).newEvaluator(ruleIds)) {
            for (long i = 0; i < stream.size(); i++) {
                SecurityEvent e = stream.event(i);
                for (RuleHit hit : evaluator.evaluate(e)) {
                    for (Variant v : Variant.values()) {
                        CorrelationState st = states.get(v)
                                .computeIfAbsent(hit.stateKey(), k -> new CorrelationState());
                        for (Alert a : Correlator.onHit(metas.get(v).get(hit.ruleId()), st, hit)) {
                            if (a.suppressedCount() == 0) {
                                out.get(v).add(PeerAlert.of(a));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The hits of one rule and key from {@code from} to {@code to}, for showing how an alert came
     * about: every hit, except that of a sequence only the first steps and the last step are
     * listed (the other successes are counted). Hits before {@code suppressedUntil} are marked.
     */
    static List<String> timeline(AuthStream stream, RuleSet rules, String ruleId, String key, long from, long to,
                                 long suppressedUntil) {
        List<String> lines = new ArrayList<>();
        int skipped = 0;
        try (RuleEvaluator evaluator = RulePack.compile(rules.sources()).newEvaluator(Set.of(ruleId))) {
            for (long i = 0; i < stream.size(); i++) {
                SecurityEvent e = stream.event(i);
                long t = e.timestamp().toEpochMilli();
                if (t < from) {
                    continue;
                }
                if (t > to) {
                    break;
                }
                for (RuleHit hit : evaluator.evaluate(e)) {
                    if (!hit.groupKey().equals(key)) {
                        continue;
                    }
                    if (Signal.THEN.equals(hit.step()) && t != to) {
                        skipped++;
                        continue;
                    }
                    lines.add("    " + e.timestamp() + "  " + e.eventAction() + " " + e.eventOutcome() + " user="
                            + e.userName() + (hit.step() == null ? "" : "  step=" + hit.step())
                            + (t < suppressedUntil ? "  (suppressed: before " + java.time.Instant.ofEpochMilli(
                                    suppressedUntil) + ")" : ""));
                }
            }
        }
        if (skipped > 0) {
            lines.add("    (and " + skipped + " successes of the key in between, not listed)");
        }
        return lines;
    }
}
