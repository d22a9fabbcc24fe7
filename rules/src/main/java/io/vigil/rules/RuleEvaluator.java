package io.vigil.rules;

import io.vigil.model.EcsJson;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.exceptions.RuleException;
import io.vigil.rules.exceptions.RuleExceptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.drools.base.base.ValueResolver;
import org.kie.api.KieBase;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the rules against one event at a time and returns the hits. It keeps one Drools
 * session and reuses it, but the session holds nothing between events (the event and the
 * signals are removed after each evaluation): all correlation state lives in Flink, so this is a
 * cache that needs no rebuilding after a restore. An event that no active rule can fire on, by the
 * rules' own compiled constraints ({@link EventPrefilter}), does not enter the session at all. Not
 * thread-safe: one per task.
 *
 * <p>Rules are isolated per event: whatever a rule throws on an event (an exception, a stack
 * overflow, a class that fails to initialize; not running out of memory) is that rule's
 * {@link RuleError} for that event, and the event still goes through every other rule. A condition
 * that throws is caught by its guard ({@link ConditionGuard}) and rejects the event; a consequence
 * that throws an exception is caught by {@link ConsequenceGuard}; anything else that escapes the
 * session (an {@link Error} in a consequence, a failing join or {@code eval}) discards the session,
 * and the event is evaluated again in a new one without the rule that failed; when no rule can be
 * named, the error is reported under {@link RuleError#UNKNOWN_RULE} and the event evaluated again
 * without the rules whose failures cannot be named ({@link GuardedNetwork}). A rule that keeps failing
 * is quarantined in this evaluator ({@link Quarantine}): it stops running, is reported as a
 * {@link RuleProblem}, and is logged once.
 *
 * <p>A hit that one of the evaluator's {@link #exceptions(RuleExceptions) exceptions} covers is
 * not given: it is returned apart, with the entry, so the caller counts it; every path that runs
 * rules (the job, {@code LocalCorrelation}, fixtures) gets the same treatment here. The evaluator
 * also counts, per rule, its hits, excepted hits, errors and evaluation time ({@link #stats()}).
 */
public final class RuleEvaluator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);

    /** The entity fields an alert reports, by ECS name. */
    public static final List<String> ENTITY_FIELDS = List.of(
            "source.ip", "source.domain", "destination.ip", "user.name", "user.domain", "user.target.name",
            "host.name", "cloud.account.id");

    /** Group key of single-event rules whose group-by fields are all absent. */
    public static final String NO_KEY = "(none)";

    /** Consecutive failures of one part of a rule that quarantine it, unless configured otherwise. */
    public static final int DEFAULT_QUARANTINE_AFTER = 100;

    /**
     * What one event gave: the hits of the rules that matched it, the hits an exception covered
     * (never alerted), the errors of the rules that failed on it (no hit from those), and the rules
     * quarantined because of this event.
     */
    public record Evaluation(List<RuleHit> hits, List<Excepted> excepted, List<RuleError> errors,
                             List<RuleProblem> quarantined) {
        public Evaluation {
            hits = List.copyOf(hits);
            excepted = List.copyOf(excepted);
            errors = List.copyOf(errors);
            quarantined = List.copyOf(quarantined);
        }
    }

    /** A hit that {@code entry} covers: counted against the entry, not given. */
    public record Excepted(RuleHit hit, RuleException entry) {}

    /** One rule's counts, as {@link RuleStats} keeps them, mutable for the evaluator. */
    private static final class Tally {
        long hits;
        long excepted;
        long errors;
        long nanos;
    }

    private final KieBase kieBase;
    private final GuardedNetwork network;
    private final Map<String, RuleMeta> active;
    private final boolean filtered;
    private final Quarantine quarantine;
    private final EvaluationScope scope;
    private final List<RuleProblem> quarantined = new ArrayList<>();
    private final List<Object[]> inserted = new ArrayList<>();
    private final List<FactHandle> handles = new ArrayList<>();
    /** The compiled Sigma rules' matcher, or null when the pack has none. */
    private final SigmaMatcher sigma;
    private KieSession session;
    private ValueResolver resolver;
    private EventPrefilter prefilter;
    /** The rule whose consequence is running, or null. */
    private String firing;
    /** When the running consequence started ({@link System#nanoTime()}). */
    private long firingSince;
    private RuleExceptions exceptions = RuleExceptions.NONE;
    /** Per rule id: hits, excepted, errors; nanos of DRL consequences (Sigma's are the matcher's). */
    private final Map<String, Tally> tallies = new HashMap<>();
    /** Whole time in the Drools part, the Sigma part and the exceptions, for the shared shares. */
    private long droolsNanos;
    private long sigmaNanos;
    private long exceptionsNanos;

    /**
     * @param filtered false: every event goes to the session (tests compare against this)
     * @param quarantineAfter consecutive failures that quarantine a rule ({@link Quarantine}); 0: never
     */
    RuleEvaluator(KieBase kieBase, GuardedNetwork network, Map<String, RuleMeta> active, boolean filtered,
                  int quarantineAfter) {
        this(kieBase, network, active, filtered, quarantineAfter, null);
    }

    /** @param sigma the matcher of the pack's Sigma rules (run after the session), or null */
    RuleEvaluator(KieBase kieBase, GuardedNetwork network, Map<String, RuleMeta> active, boolean filtered,
                  int quarantineAfter, SigmaMatcher sigma) {
        this.sigma = sigma;
        this.kieBase = kieBase;
        this.network = network;
        this.active = new LinkedHashMap<>(active);
        this.filtered = filtered;
        this.quarantine = new Quarantine(quarantineAfter, network.guards().length);
        this.scope = new EvaluationScope(network, this.active.keySet(), quarantine);
        this.session = newSession();
        this.prefilter = prefilterOfActiveRules();
    }

    private KieSession newSession() {
        KieSession s = kieBase.newKieSession();
        s.addEventListener(new RuleRuntimeEventListener() {
            @Override
            public void objectInserted(ObjectInsertedEvent e) {
                handles.add(e.getFactHandle());
                if (e.getRule() != null && e.getObject() instanceof Signal signal) {
                    inserted.add(new Object[] {e.getRule().getName(), signal});
                }
            }

            @Override
            public void objectUpdated(ObjectUpdatedEvent e) {}

            @Override
            public void objectDeleted(ObjectDeletedEvent e) {}
        });
        s.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent e) {
                firing = e.getMatch().getRule().getName(); // names the rule if an Error leaves the session
                firingSince = System.nanoTime();
            }

            @Override
            public void afterMatchFired(AfterMatchFiredEvent e) {
                String rule = e.getMatch().getRule().getName();
                tally(rule).nanos += System.nanoTime() - firingSince;
                firing = null;
                if (!scope.failed(rule)) {
                    quarantine.consequenceSucceeded(rule);
                }
            }
        });
        // the prefilter evaluates constraints against the session, as the session itself would
        resolver = s instanceof ValueResolver r ? r : null;
        return s;
    }

    private EventPrefilter prefilterOfActiveRules() {
        return !filtered ? EventPrefilter.none("turned off")
                : resolver != null ? EventPrefilter.of(kieBase, droolsRules())
                : EventPrefilter.none("the session is not a ValueResolver");
    }

    /** The active rules the Drools session runs (not the Sigma ones, which the session does not hold). */
    private Set<String> droolsRules() {
        Set<String> ids = new java.util.LinkedHashSet<>();
        active.forEach((id, meta) -> {
            if (!RuleMeta.SIGMA.equals(meta.ruleset())) {
                ids.add(id);
            }
        });
        return ids;
    }

    /**
     * The hits of {@code event}: one per active rule that signalled it and has a group key. Rules
     * that fail on it give no hit and are reported by {@link #evaluateWithErrors}, which this
     * calls; here their errors are only logged (at debug).
     */
    public List<RuleHit> evaluate(SecurityEvent event) {
        Evaluation evaluation = evaluateWithErrors(event);
        if (!evaluation.errors().isEmpty() && LOG.isDebugEnabled()) {
            evaluation.errors().forEach(e -> LOG.debug("rule error at {}: {}", event.origin(), e.reason()));
        }
        return evaluation.hits();
    }

    /**
     * From now on, hits these entries cover are returned as {@link Evaluation#excepted()}, not as
     * hits. Returns this evaluator.
     */
    public RuleEvaluator exceptions(RuleExceptions entries) {
        this.exceptions = java.util.Objects.requireNonNull(entries, "entries");
        return this;
    }

    /**
     * The hits of {@code event}, the hits an exception covered, and the errors of the rules that
     * failed on it.
     */
    public Evaluation evaluateWithErrors(SecurityEvent event) {
        List<RuleHit> hits;
        List<RuleError> errors;
        scope.enter(event);
        long start = System.nanoTime();
        long sessionDone = start;
        try {
            hits = evaluateGuarded(event);
            sessionDone = System.nanoTime();
            if (sigma != null) {
                // after the session: a Sigma rule's failure is that rule's error, never the evaluation's
                List<RuleHit> all = new ArrayList<>(hits);
                sigma.evaluate(event, scope::inPlay, all, scope::sigmaFailed);
                scope.sigmaDone();
                hits = all;
            }
        } finally {
            long end = System.nanoTime();
            if (sessionDone == start) { // the session threw
                droolsNanos += end - start;
            } else {
                droolsNanos += sessionDone - start;
                sigmaNanos += end - sessionDone;
            }
            errors = scope.exit();
        }
        List<Excepted> excepted = List.of();
        if (!exceptions.isEmpty() && !hits.isEmpty()) {
            long t = System.nanoTime();
            List<RuleHit> standing = new ArrayList<>(hits.size());
            excepted = new ArrayList<>();
            for (RuleHit hit : hits) {
                RuleException entry = exceptions.covering(hit.ruleId(), event);
                if (entry == null) {
                    standing.add(hit);
                } else {
                    excepted.add(new Excepted(hit, entry));
                }
            }
            hits = standing;
            exceptionsNanos += System.nanoTime() - t;
        }
        for (RuleHit hit : hits) {
            tally(hit.ruleId()).hits++;
        }
        for (Excepted e : excepted) {
            tally(e.hit().ruleId()).excepted++;
        }
        for (RuleError e : errors) {
            tally(e.ruleId()).errors++;
        }
        return new Evaluation(hits, excepted, errors, quarantineDue());
    }

    private Tally tally(String ruleId) {
        return tallies.computeIfAbsent(ruleId, id -> new Tally());
    }

    /**
     * What this evaluator counted per rule id since it was made (cumulative): every active or
     * quarantined rule that hit, was excepted, failed or took time, and the shared time under the
     * pseudo-ids of {@link RuleStats} (always present). A snapshot: later evaluations do not change it.
     */
    public Map<String, RuleStats> stats() {
        Map<String, Long> sigmaRules = sigma == null ? Map.of() : sigma.ruleNanos();
        Map<String, RuleStats> out = new TreeMap<>();
        long consequences = 0;
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            consequences += t.nanos;
            out.put(e.getKey(), new RuleStats(t.hits, t.excepted, t.errors, t.nanos
                    + sigmaRules.getOrDefault(e.getKey(), 0L)));
        }
        long matchers = 0;
        for (Map.Entry<String, Long> e : sigmaRules.entrySet()) {
            matchers += e.getValue();
            out.putIfAbsent(e.getKey(), new RuleStats(0, 0, 0, e.getValue()));
        }
        // a consequence runs inside the session's time, a matcher inside Sigma's: the rest is shared
        out.put(RuleStats.DROOLS, new RuleStats(0, 0, 0, Math.max(0, droolsNanos - consequences)));
        out.put(RuleStats.SIGMA, new RuleStats(0, 0, 0, Math.max(0, sigmaNanos - matchers)));
        out.put(RuleStats.EXCEPTIONS, new RuleStats(0, 0, 0, exceptionsNanos));
        return out;
    }

    private List<RuleHit> evaluateGuarded(SecurityEvent event) {
        boolean unattributed = false;
        // each pass that fails names one more rule to leave out, or gives up: at most one per rule
        while (true) {
            if (!prefilter.mayFire(event, resolver)) {
                return List.of(); // every active rule has a condition that rejects the event
            }
            inserted.clear();
            handles.clear();
            firing = null;
            List<RuleHit> hits;
            try {
                session.insert(event);
                // only active rules may fire: a rule with bad metadata or failing fixtures never does
                session.fireAllRules(match -> scope.inPlay(match.getRule().getName()));
                hits = hits();
            } catch (Throwable t) {
                RuleError.rethrowIfFatal(t);
                String rule = firing != null ? firing : soleUnguardedRule();
                scope.sessionFailed(rule == null ? RuleError.UNKNOWN_RULE : rule,
                        firing != null ? RuleError.Stage.CONSEQUENCE : RuleError.Stage.EVALUATION, t);
                renewSession();
                if (rule != null) {
                    scope.leaveOut(List.of()); // the rule that failed, now in the scope's failures
                } else if (!unattributed) {
                    // no rule to name: once more without every rule whose failures go unnamed
                    unattributed = true;
                    scope.leaveOut(network.unisolated());
                } else {
                    return List.of(); // it fails the same way again: no hit from this event
                }
                continue;
            }
            String unguarded = soleUnguardedRule();
            if (unguarded != null) {
                quarantine.networkSucceeded(unguarded);
            }
            clearSession();
            return hits;
        }
    }

    /** The hits of the signals inserted, leaving out the rules that failed on the event. */
    private List<RuleHit> hits() {
        List<RuleHit> hits = new ArrayList<>(inserted.size());
        for (Object[] entry : inserted) {
            String ruleId = (String) entry[0];
            RuleMeta rule = active.get(ruleId);
            if (rule == null || !scope.inPlay(ruleId)) {
                continue;
            }
            RuleHit hit;
            try {
                hit = hit(rule, (Signal) entry[1]);
            } catch (RuntimeException e) {
                // what the consequence inserted cannot be read as a hit: the consequence's fault
                scope.sessionFailed(ruleId, RuleError.Stage.CONSEQUENCE, e);
                continue;
            }
            if (hit != null) {
                hits.add(hit);
            }
        }
        return hits;
    }

    /** Removes what the evaluation inserted; a session that cannot is replaced. */
    private void clearSession() {
        try {
            for (FactHandle h : handles) {
                session.delete(h);
            }
        } catch (Throwable t) {
            RuleError.rethrowIfFatal(t);
            scope.sessionFailed(RuleError.UNKNOWN_RULE, RuleError.Stage.EVALUATION, t);
            renewSession();
        }
    }

    /**
     * The one active rule, not yet failed on this event, whose failures the guards cannot catch
     * (see {@link GuardedNetwork}); null when there are none or several.
     */
    private String soleUnguardedRule() {
        String sole = null;
        for (String rule : network.unisolated()) {
            if (scope.inPlay(rule)) {
                if (sole != null) {
                    return null;
                }
                sole = rule;
            }
        }
        return sole;
    }

    /** Replaces a session an error left in an unknown state (it holds nothing between events). */
    private void renewSession() {
        KieSession broken = session;
        session = newSession();
        try {
            broken.dispose();
        } catch (RuntimeException e) {
            LOG.debug("disposing a failed session: {}", e.toString());
        }
    }

    /** Quarantines the rules that are due; returns their problems. */
    private List<RuleProblem> quarantineDue() {
        Map<String, RuleError> due = quarantine.takeDue();
        if (due.isEmpty()) {
            return List.of();
        }
        List<RuleProblem> problems = new ArrayList<>();
        for (Map.Entry<String, RuleError> e : due.entrySet()) {
            RuleMeta rule = active.remove(e.getKey());
            if (rule == null) {
                continue;
            }
            quarantine.forget(rule.id());
            RuleError last = e.getValue();
            // the error class, not its message: the message may carry event content, and the
            // problem reads the same in every task
            RuleProblem problem = new RuleProblem(rule.file(), 0, rule.id(), "quarantined after "
                    + quarantine.after() + " consecutive failures of its " + last.stage() + " ("
                    + last.errorClass() + "); not active in this task until it restarts");
            LOG.warn("rule '{}' quarantined: {} consecutive failures of its {} ({}); the other rules go on",
                    rule.id(), quarantine.after(), last.stage(), last.errorClass());
            quarantined.add(problem);
            problems.add(problem);
        }
        scope.reviveConditions(active.keySet());
        prefilter = prefilterOfActiveRules();
        return problems;
    }

    /** The rules this evaluator quarantined, in order. */
    public List<RuleProblem> quarantined() {
        return Collections.unmodifiableList(quarantined);
    }

    /** The rules still running. */
    public Set<String> activeRules() {
        return Collections.unmodifiableSet(active.keySet());
    }

    private static RuleHit hit(RuleMeta rule, Signal signal) {
        SecurityEvent e = signal.event();
        String key = signal.key();
        if (key == null) {
            for (String field : rule.groupBy()) {
                key = EcsJson.value(e, field);
                if (key != null && !key.isEmpty()) {
                    break;
                }
            }
        }
        if (key == null || key.isEmpty()) {
            if (rule.shape() != Shape.SINGLE) {
                return null; // nothing to correlate on
            }
            key = NO_KEY;
        }
        if (rule.shape() == Shape.SEQUENCE && signal.step() == null) {
            return null; // a sequence rule says which step an event is (Signal.step)
        }
        String value = signal.value();
        if (rule.shape() == Shape.DISTINCT && value == null) {
            value = EcsJson.value(e, rule.distinct());
            if (value == null || value.isEmpty()) {
                return null;
            }
        }
        return new RuleHit(rule.id(), key, e.timestamp(), e.origin(),
                e.eventSequence() == null ? 0 : e.eventSequence(), signal.step(), value, entities(e));
    }

    /** The entity fields ({@link #ENTITY_FIELDS}) {@code e} has, by name: what a hit reports. */
    public static Map<String, String> entities(SecurityEvent e) {
        // sorted already, so RuleHit's defensive copy is a linear build rather than a re-sort
        Map<String, String> entities = new TreeMap<>();
        for (String field : ENTITY_FIELDS) {
            String v = EcsJson.value(e, field);
            if (v != null && !v.isEmpty()) {
                entities.put(field, v);
            }
        }
        return entities;
    }

    /** The prefilter in front of the session (whether it can skip events, and why not). */
    public EventPrefilter prefilter() {
        return prefilter;
    }

    /** Whether {@code event} goes to the session, or is skipped by the prefilter. */
    boolean reachesSession(SecurityEvent event) {
        return prefilter.mayFire(event, resolver);
    }

    @Override
    public void close() {
        session.dispose();
    }
}
