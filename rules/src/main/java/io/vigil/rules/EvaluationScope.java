package io.vigil.rules;

import io.vigil.model.SecurityEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.drools.base.base.ValueResolver;
import org.kie.api.runtime.rule.FactHandle;

/**
 * What one evaluator knows while it evaluates one event, for the guards of the shared network:
 * the errors of the event (at most one per rule), which conditions may run (those feeding a rule
 * still in play), the conditions already evaluated on the event, and the failure streaks of
 * {@link Quarantine}. The guards find it through a thread-local: the network is shared by the
 * sessions of every thread, and Drools evaluates a session's conditions on the calling thread.
 *
 * <p>Each condition is evaluated at most once per event: the prefilter and the session evaluate
 * the same guards, so a failure is reported once and an expensive condition costs once.
 */
final class EvaluationScope {

    private static final ThreadLocal<EvaluationScope> CURRENT = new ThreadLocal<>();

    private final ConditionGuard[] guards;
    private final Set<String> active;
    private final Quarantine quarantine;
    private final boolean[] live;
    private final long[] evaluatedAt;
    private final boolean[] result;
    /** The Sigma rules with a failure streak going. */
    private final Set<String> sigmaFailing = new HashSet<>();

    private long stamp;
    private SecurityEvent event;
    private EvaluationScope previous;
    private final List<RuleError> errors = new ArrayList<>();
    private final Set<String> failed = new HashSet<>();
    private final Set<String> leftOut = new HashSet<>();

    /** @param active the evaluator's active rules (a live view: quarantine shrinks it) */
    EvaluationScope(GuardedNetwork network, Set<String> active, Quarantine quarantine) {
        this.guards = network.guards();
        this.active = active;
        this.quarantine = quarantine;
        this.live = new boolean[guards.length];
        this.evaluatedAt = new long[guards.length];
        this.result = new boolean[guards.length];
        reviveConditions(active);
    }

    /** The scope of the evaluation running on this thread, or null. */
    static EvaluationScope current() {
        return CURRENT.get();
    }

    /** Starts evaluating {@code e} on this thread. */
    void enter(SecurityEvent e) {
        previous = CURRENT.get();
        CURRENT.set(this);
        event = e;
        stamp++;
        errors.clear();
        failed.clear();
        leftOut.clear();
    }

    /** Ends the evaluation of the current event; returns its errors. */
    List<RuleError> exit() {
        CURRENT.set(previous); // null for the task's own evaluator: the thread keeps its slot
        previous = null;
        event = null;
        if (!failed.isEmpty() || !leftOut.isEmpty()) {
            reviveConditions(active); // a rule that failed on this event runs again on the next
        }
        return errors.isEmpty() ? List.of() : List.copyOf(errors);
    }

    /** Only the conditions feeding one of {@code rules} run; the others reject every event. */
    void reviveConditions(Collection<String> rules) {
        for (ConditionGuard g : guards) {
            boolean feeds = false;
            for (String r : g.rules()) {
                if (rules.contains(r)) {
                    feeds = true;
                    break;
                }
            }
            live[g.id()] = feeds;
        }
    }

    /**
     * Leaves out, for the rest of this event, the rules that failed on it and {@code more} (before
     * evaluating it again): their conditions no longer run, and they may not fire.
     */
    void leaveOut(Collection<String> more) {
        leftOut.addAll(more);
        Set<String> rest = new HashSet<>(active);
        rest.removeAll(failed);
        rest.removeAll(leftOut);
        reviveConditions(rest);
    }

    /** Whether {@code rule} is still in play on the current event (active, not failed, not left out). */
    boolean inPlay(String rule) {
        return active.contains(rule) && (failed.isEmpty() || !failed.contains(rule))
                && (leftOut.isEmpty() || !leftOut.contains(rule));
    }

    /** What guard {@code g} answers for {@code handle}: its constraint, evaluated once per event, never throwing. */
    boolean test(ConditionGuard g, FactHandle handle, ValueResolver resolver) {
        int id = g.id();
        if (id >= guards.length || guards[id] != g) {
            return g.constraint().isAllowed(handle, resolver); // another pack's network: not ours to judge
        }
        if (!live[id]) {
            return false; // no rule in play below this node: nothing to evaluate
        }
        boolean current = handle.getObject() == event;
        if (current && evaluatedAt[id] == stamp) {
            return result[id];
        }
        boolean allowed;
        try {
            allowed = g.constraint().isAllowed(handle, resolver);
            quarantine.conditionSucceeded(id);
        } catch (Throwable t) {
            RuleError.rethrowIfFatal(t);
            allowed = false;
            conditionFailed(g, t);
        }
        if (current) {
            evaluatedAt[id] = stamp;
            result[id] = allowed;
        }
        return allowed;
    }

    private void conditionFailed(ConditionGuard g, Throwable t) {
        List<String> rules = new ArrayList<>(g.rules().length);
        for (String r : g.rules()) {
            if (active.contains(r)) {
                rules.add(r);
            }
        }
        RuleError first = null;
        for (String r : rules) {
            RuleError e = record(r, RuleError.Stage.CONDITION, g.toString(), t);
            first = first == null ? e : first;
        }
        if (first != null) {
            quarantine.conditionFailed(g.id(), rules, first);
        }
    }

    /** The consequence of {@code rule} threw {@code t} (the engine went on with the other rules). */
    void consequenceFailed(String rule, Throwable t) {
        RuleError e = record(rule, RuleError.Stage.CONSEQUENCE, "", t);
        if (e != null) {
            quarantine.partFailed(Quarantine.consequence(rule), rule, e);
        }
    }

    /** Sigma rule {@code rule} threw {@code t} while matching the event ({@link SigmaMatcher}). */
    void sigmaFailed(String rule, Throwable t) {
        RuleError.rethrowIfFatal(t);
        RuleError e = record(rule, RuleError.Stage.CONDITION, "sigma detection", t);
        if (e != null) {
            sigmaFailing.add(rule);
            quarantine.partFailed(Quarantine.sigma(rule), rule, e);
        }
    }

    /** Ends the failure streaks of the Sigma rules that failed before but not on this event. */
    void sigmaDone() {
        if (sigmaFailing.isEmpty()) {
            return;
        }
        for (java.util.Iterator<String> it = sigmaFailing.iterator(); it.hasNext(); ) {
            String rule = it.next();
            if (!failed(rule)) {
                quarantine.partSucceeded(Quarantine.sigma(rule));
                it.remove();
            }
        }
    }

    /** The session failed with {@code t} during {@code rule} ({@link RuleError#UNKNOWN_RULE} if unknown). */
    void sessionFailed(String rule, RuleError.Stage stage, Throwable t) {
        RuleError e = record(rule, stage, "", t);
        if (e != null && !RuleError.UNKNOWN_RULE.equals(rule)) {
            quarantine.partFailed(stage == RuleError.Stage.CONSEQUENCE ? Quarantine.consequence(rule)
                    : Quarantine.network(rule), rule, e);
        }
    }

    /** The error of {@code rule} on this event, recorded unless it already failed on it (then null). */
    private RuleError record(String rule, RuleError.Stage stage, String where, Throwable t) {
        if (event == null || !failed.add(rule)) {
            return null;
        }
        RuleError e = new RuleError(rule, event, stage, where, t);
        errors.add(e);
        return e;
    }

    /** Whether {@code rule} failed on the current event (its hits do not count). */
    boolean failed(String rule) {
        return !failed.isEmpty() && failed.contains(rule);
    }

    boolean anyFailed() {
        return !failed.isEmpty();
    }
}
