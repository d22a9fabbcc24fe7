package io.vigil.rules.sigma;

import io.vigil.model.EcsJson;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.SigmaMatcher;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Runs the compiled Sigma rules on one event at a time: only the rules of the log sources that
 * select the event, each field read once per event. A rule that throws is that rule's failure;
 * the others go on. Not thread-safe.
 */
final class SigmaEventMatcher implements SigmaMatcher {

    /** Joins group-by values into a correlation's group key; a value's own separators are escaped. */
    static final char SEPARATOR = '|';

    private final List<LogSourceGroup> groups;
    private final EventFields fields;
    /** Per group, the candidate flags of its rules for the current event (reused). */
    private final boolean[][] candidates;
    /** Per group, the nanoseconds each of its rules' matchers took (cumulative). */
    private final long[][] nanos;
    /**
     * Each rule's matcher time is sampled: measured on one event in this many (the first, then
     * every {@code TIME_EVERY}-th) and counted that many times. Two clock reads per candidate rule
     * on every event cost about a seventh of the throughput (bench section sigma, 100 and 1,000
     * SigmaHQ rules: 338k and 152k events/s timing every event, 392k and 177k sampled).
     */
    static final int TIME_EVERY = 16;
    private long evaluated;

    /** false: every rule of a selected log source runs (tests compare the index against this) */
    private final boolean indexed;

    SigmaEventMatcher(List<LogSourceGroup> groups, EventFields fields) {
        this(groups, fields, true);
    }

    /** Per key slot: lower-cased value → the groups whose selection needs it. */
    private final int[] keySlots;
    private final java.util.Map<String, int[]>[] groupsByValue;
    /** Groups whose selection has no key: always tested. */
    private final boolean[] unkeyed;
    private final boolean[] groupCandidate;

    @SuppressWarnings("unchecked")
    SigmaEventMatcher(List<LogSourceGroup> groups, EventFields fields, boolean indexed) {
        this.indexed = indexed;
        this.groups = groups;
        java.util.Map<Integer, java.util.Map<String, List<Integer>>> bySlot = new java.util.LinkedHashMap<>();
        unkeyed = new boolean[groups.size()];
        groupCandidate = new boolean[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            Matcher.Key k = groups.get(i).selects().key();
            if (k == null) {
                unkeyed[i] = true;
                continue;
            }
            for (String v : k.values()) {
                bySlot.computeIfAbsent(k.slot(), x -> new java.util.HashMap<>())
                        .computeIfAbsent(v, x -> new java.util.ArrayList<>()).add(i);
            }
        }
        keySlots = new int[bySlot.size()];
        groupsByValue = new java.util.Map[bySlot.size()];
        int s = 0;
        for (var e : bySlot.entrySet()) {
            keySlots[s] = e.getKey();
            java.util.Map<String, int[]> m = new java.util.HashMap<>();
            e.getValue().forEach((v, list) -> m.put(v, list.stream().mapToInt(Integer::intValue).toArray()));
            groupsByValue[s++] = m;
        }
        this.fields = fields;
        this.candidates = new boolean[groups.size()][];
        this.nanos = new long[groups.size()][];
        for (int i = 0; i < groups.size(); i++) {
            candidates[i] = new boolean[groups.get(i).rules().length];
            nanos[i] = new long[groups.get(i).rules().length];
        }
    }

    @Override
    public void evaluate(SecurityEvent event, Predicate<String> inPlay, List<RuleHit> hits,
                         BiConsumer<String, Throwable> failed) {
        fields.reset(event);
        boolean timedEvent = (evaluated++ & (TIME_EVERY - 1)) == 0;
        Map<String, String> entities = null;
        // the log sources the event can be, by the values their selections need
        System.arraycopy(unkeyed, 0, groupCandidate, 0, unkeyed.length);
        for (int s = 0; s < keySlots.length; s++) {
            String v = fields.lower(keySlots[s]);
            int[] gs = v == null ? null : groupsByValue[s].get(v);
            if (gs != null) {
                for (int gi : gs) {
                    groupCandidate[gi] = true;
                }
            }
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            if (indexed && !groupCandidate[gi]) {
                continue;
            }
            LogSourceGroup g = groups.get(gi);
            boolean selected;
            boolean[] candidate = candidates[gi];
            try {
                selected = g.selects().matches(fields);
                if (selected && indexed) {
                    g.index().candidates(fields, candidate);
                } else if (selected) {
                    java.util.Arrays.fill(candidate, true);
                }
            } catch (RuntimeException | StackOverflowError t) {
                for (CompiledRule r : g.rules()) {
                    if (wanted(r, inPlay)) {
                        failed.accept(r.id(), t);
                    }
                }
                continue;
            }
            if (!selected) {
                continue;
            }
            CompiledRule[] rules = g.rules();
            long[] spent = nanos[gi];
            boolean timed = timedEvent;
            for (int ri = 0; ri < rules.length; ri++) {
                CompiledRule r = rules[ri];
                if (!candidate[ri] || !wanted(r, inPlay)) {
                    continue;
                }
                boolean matched;
                long start = timed ? System.nanoTime() : 0L;
                try {
                    matched = r.matches(fields);
                } catch (RuntimeException | StackOverflowError t) {
                    failed.accept(r.id(), t);
                    continue;
                } finally {
                    if (timed) {
                        spent[ri] += (System.nanoTime() - start) * TIME_EVERY;
                    }
                }
                if (!matched) {
                    continue;
                }
                if (entities == null) {
                    entities = RuleEvaluator.entities(event);
                }
                if (r.alerts && inPlay.test(r.id())) {
                    hits.add(single(r.meta, event, entities));
                }
                for (CorrelationFeed f : r.feeds) {
                    if (inPlay.test(f.correlationId())) {
                        RuleHit h = correlated(f, event, entities);
                        if (h != null) {
                            hits.add(h);
                        }
                    }
                }
            }
        }
    }

    @Override
    public Map<String, Long> ruleNanos() {
        Map<String, Long> byRule = new java.util.HashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            CompiledRule[] rules = groups.get(gi).rules();
            for (int ri = 0; ri < rules.length; ri++) {
                if (nanos[gi][ri] != 0) {
                    byRule.merge(rules[ri].id(), nanos[gi][ri], Long::sum);
                }
            }
        }
        return byRule;
    }

    private static boolean wanted(CompiledRule r, Predicate<String> inPlay) {
        if (r.alerts && inPlay.test(r.id())) {
            return true;
        }
        for (CorrelationFeed f : r.feeds) {
            if (inPlay.test(f.correlationId())) {
                return true;
            }
        }
        return false;
    }

    private static RuleHit single(RuleMeta rule, SecurityEvent e, Map<String, String> entities) {
        String key = null;
        for (String field : rule.groupBy()) {
            key = EcsJson.value(e, field);
            if (key != null && !key.isEmpty()) {
                break;
            }
        }
        if (key == null || key.isEmpty()) {
            key = RuleEvaluator.NO_KEY;
        }
        return new RuleHit(rule.id(), key, e.timestamp(), e.origin(), sequence(e), null, null, entities);
    }

    /** The correlation's hit, or null when the event lacks a group-by value or the value the shape needs. */
    private RuleHit correlated(CorrelationFeed f, SecurityEvent e, Map<String, String> entities) {
        String key;
        if (f.groupBy().length == 0) {
            key = RuleEvaluator.NO_KEY;
        } else {
            StringBuilder k = new StringBuilder();
            for (int i = 0; i < f.groupBy().length; i++) {
                String v = f.groupBy()[i].value(fields);
                if (v == null || v.isEmpty()) {
                    return null;
                }
                if (i > 0) {
                    k.append(SEPARATOR);
                }
                appendEscaped(k, v);
            }
            key = k.toString();
        }
        String value = null;
        if (f.value() != null) {
            value = f.value().value(fields);
            if (value == null || value.isEmpty()) {
                return null;
            }
        }
        return new RuleHit(f.correlationId(), key, e.timestamp(), e.origin(), sequence(e), f.step(), value, entities);
    }

    private static void appendEscaped(StringBuilder k, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == SEPARATOR || c == '\\') {
                k.append('\\');
            }
            k.append(c);
        }
    }

    private static long sequence(SecurityEvent e) {
        return e.eventSequence() == null ? 0 : e.eventSequence();
    }
}
