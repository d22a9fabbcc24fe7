package io.vigil.rules;

import io.vigil.model.EcsJson;
import io.vigil.model.SecurityEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.drools.base.base.ValueResolver;
import org.kie.api.KieBase;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * Evaluates the rules against one event at a time and returns the hits. It keeps one Drools
 * session and reuses it, but the session holds nothing between events (the event and the
 * signals are removed after each evaluation): all correlation state lives in Flink, so this is a
 * cache that needs no rebuilding after a restore. An event that no active rule can fire on, by the
 * rules' own compiled constraints ({@link EventPrefilter}), does not enter the session at all. Not
 * thread-safe: one per task.
 */
public final class RuleEvaluator implements AutoCloseable {

    /** The entity fields an alert reports, by ECS name. */
    public static final List<String> ENTITY_FIELDS = List.of(
            "source.ip", "source.domain", "destination.ip", "user.name", "user.domain", "user.target.name",
            "host.name", "cloud.account.id");

    /** Group key of single-event rules whose group-by fields are all absent. */
    public static final String NO_KEY = "(none)";

    private final KieSession session;
    private final Map<String, RuleMeta> active;
    private final List<Object[]> inserted = new ArrayList<>();
    private final List<FactHandle> handles = new ArrayList<>();
    private final EventPrefilter prefilter;
    private final ValueResolver resolver;

    RuleEvaluator(KieBase kieBase, Map<String, RuleMeta> active) {
        this(kieBase, active, true);
    }

    /** {@code filtered} false: every event goes to the session (tests compare against this). */
    RuleEvaluator(KieBase kieBase, Map<String, RuleMeta> active, boolean filtered) {
        this.session = kieBase.newKieSession();
        this.active = new LinkedHashMap<>(active);
        // the prefilter evaluates constraints against the session, as the session itself would
        this.resolver = session instanceof ValueResolver r ? r : null;
        this.prefilter = !filtered ? EventPrefilter.none("turned off")
                : resolver != null ? EventPrefilter.of(kieBase, this.active.keySet())
                : EventPrefilter.none("the session is not a ValueResolver");
        session.addEventListener(new RuleRuntimeEventListener() {
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
    }

    /** The hits of {@code event}: one per active rule that signalled it and has a group key. */
    public List<RuleHit> evaluate(SecurityEvent event) {
        if (!reachesSession(event)) {
            return List.of(); // every active rule has a condition that rejects the event
        }
        inserted.clear();
        handles.clear();
        session.insert(event);
        // only active rules may fire: a rule with bad metadata or failing fixtures never does
        session.fireAllRules(match -> active.containsKey(match.getRule().getName()));
        List<RuleHit> hits = new ArrayList<>(inserted.size());
        for (Object[] entry : inserted) {
            RuleMeta rule = active.get((String) entry[0]);
            RuleHit hit = hit(rule, (Signal) entry[1]);
            if (hit != null) {
                hits.add(hit);
            }
        }
        for (FactHandle h : handles) {
            session.delete(h);
        }
        return hits;
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
        // sorted already, so RuleHit's defensive copy is a linear build rather than a re-sort
        Map<String, String> entities = new TreeMap<>();
        for (String field : ENTITY_FIELDS) {
            String v = EcsJson.value(e, field);
            if (v != null && !v.isEmpty()) {
                entities.put(field, v);
            }
        }
        return new RuleHit(rule.id(), key, e.timestamp(), e.origin(),
                e.eventSequence() == null ? 0 : e.eventSequence(), signal.step(), value, entities);
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
