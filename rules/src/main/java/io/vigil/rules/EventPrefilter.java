package io.vigil.rules;

import io.vigil.model.SecurityEvent;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.drools.base.base.ClassObjectType;
import org.drools.base.base.ValueResolver;
import org.drools.base.rule.EntryPointId;
import org.drools.base.rule.constraint.AlphaNodeFieldConstraint;
import org.drools.core.common.BaseNode;
import org.drools.core.common.DefaultFactHandle;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.AlphaNode;
import org.drools.core.reteoo.LeftInputAdapterNode;
import org.drools.core.reteoo.ObjectTypeNode;
import org.drools.core.reteoo.RuleTerminalNode;
import org.drools.core.reteoo.TerminalNode;
import org.kie.api.KieBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells, before the Drools session is touched, whether any active rule can fire on an event. Most
 * events of a stream match no rule, and for them the session's insert, fire and delete cost far
 * more than testing the rules' conditions (the conditions are a small part of that work).
 *
 * <p>The test is read from the compiled Rete network, never from a list kept by hand: a rule of
 * one {@code SecurityEvent(…)} pattern is, in the network, a chain of alpha nodes (its
 * constraints, in order) from the {@code SecurityEvent} type node down to an input adapter that
 * feeds the rule's terminal node directly. Such a rule fires exactly when every constraint of its
 * chain accepts the event, so the prefilter evaluates those same constraint objects, in the same
 * order, sharing the nodes the rules share. As soon as one active rule has another shape (a
 * second pattern, {@code not}, {@code eval}, {@code from}, {@code accumulate}, a timer, a pattern
 * on another type or entry point) the prefilter lets every event through: correctness never
 * depends on the shape of the pack. The constraint objects are the network's guards
 * ({@link ConditionGuard}): inside an evaluation a constraint is evaluated once per event for the
 * prefilter and the session together, and what it throws is that rule's error, reported once.
 * Outside one, a constraint that throws lets the event through.
 */
public final class EventPrefilter {

    private static final Logger LOG = LoggerFactory.getLogger(EventPrefilter.class);

    /** One alpha node of the network; the roots hang below the {@code SecurityEvent} type node. */
    private static final class Guard {
        final AlphaNodeFieldConstraint constraint;
        final List<Guard> children = new ArrayList<>();
        boolean feedsRule; // an active rule's input adapter hangs right below this node

        Guard(AlphaNodeFieldConstraint constraint) {
            this.constraint = constraint;
        }
    }

    private final Guard[] roots;
    private final boolean unconditional; // an active rule's type node alone feeds it
    private final String disabledBecause;

    private EventPrefilter(List<Guard> roots, boolean unconditional, String disabledBecause) {
        this.roots = roots.toArray(new Guard[0]);
        this.unconditional = unconditional;
        this.disabledBecause = disabledBecause;
    }

    /** The prefilter of the rules {@code active} of {@code kieBase}. */
    public static EventPrefilter of(KieBase kieBase, Set<String> active) {
        if (!(kieBase instanceof InternalRuleBase ruleBase)) {
            return none("the knowledge base is not a Rete network (" + kieBase.getClass().getName() + ")");
        }
        Map<BaseNode, Guard> guards = new IdentityHashMap<>();
        List<Guard> roots = new ArrayList<>();
        boolean unconditional = false;
        // by name, as the agenda filter matches: rules of the same name in other packages count too
        Map<String, List<TerminalNode>> terminals = new java.util.HashMap<>();
        for (TerminalNode[] nodes : ruleBase.getReteooBuilder().getTerminalNodes().values()) {
            for (TerminalNode t : nodes) {
                terminals.computeIfAbsent(t.getRule().getName(), k -> new ArrayList<>()).add(t);
            }
        }
        for (String ruleId : active) {
            List<TerminalNode> ofRule = terminals.getOrDefault(ruleId, List.of());
            if (ofRule.isEmpty()) {
                return none("rule '" + ruleId + "' has no terminal node");
            }
            for (TerminalNode terminal : ofRule) {
                List<AlphaNode> chain = new ArrayList<>();
                String why = chainOf(terminal, chain);
                if (why != null) {
                    return none("rule '" + ruleId + "' " + why);
                }
                if (chain.isEmpty()) {
                    unconditional = true;
                    continue;
                }
                Guard parent = null;
                for (AlphaNode node : chain) {
                    Guard g = guards.get(node);
                    if (g == null) {
                        g = new Guard(node.getConstraint());
                        guards.put(node, g);
                        (parent == null ? roots : parent.children).add(g);
                    }
                    parent = g;
                }
                parent.feedsRule = true;
            }
        }
        EventPrefilter prefilter = new EventPrefilter(roots, unconditional, null);
        LOG.debug("event prefilter over {} rule(s): {} alpha node(s){}", active.size(), guards.size(),
                unconditional ? ", but a rule has no constraint: every event goes to the session" : "");
        return prefilter;
    }

    /**
     * Fills {@code chain} with the alpha nodes from the {@code SecurityEvent} type node down to the
     * terminal, in evaluation order; returns why the terminal is not such a chain, or null.
     */
    static String chainOf(TerminalNode terminal, List<AlphaNode> chain) {
        if (!(terminal instanceof RuleTerminalNode)) {
            return "ends in a " + terminal.getClass().getSimpleName();
        }
        if (!(terminal.getLeftTupleSource() instanceof LeftInputAdapterNode adapter)) {
            return "has more than one pattern or a conditional element ("
                    + terminal.getLeftTupleSource().getClass().getSimpleName() + ")";
        }
        BaseNode node = adapter.getObjectSource();
        while (node instanceof AlphaNode alpha) {
            chain.add(0, alpha);
            node = alpha.getParent();
        }
        if (!(node instanceof ObjectTypeNode type)) {
            return "has a " + (node == null ? "missing" : node.getClass().getSimpleName()) + " in its pattern";
        }
        if (!(type.getObjectType() instanceof ClassObjectType cls) || cls.getClassType() != SecurityEvent.class) {
            return "matches " + type.getObjectType() + ", not SecurityEvent";
        }
        if (!EntryPointId.DEFAULT.equals(type.getEntryPoint())) {
            return "reads entry point " + type.getEntryPoint().getEntryPointId();
        }
        return null;
    }

    /** A prefilter that lets every event through, because of {@code why}. */
    static EventPrefilter none(String why) {
        LOG.debug("event prefilter off, every event goes to the session: {}", why);
        return new EventPrefilter(List.of(), true, why);
    }

    /** Whether the prefilter can skip events at all; {@link #disabledBecause()} says why not. */
    public boolean active() {
        return disabledBecause == null && !unconditional;
    }

    /** Why every event goes to the session, or null when the prefilter is in force. */
    public String disabledBecause() {
        return disabledBecause != null ? disabledBecause : unconditional ? "a rule has no constraint" : null;
    }

    /**
     * Whether some active rule may fire on {@code event}: false only when every active rule has a
     * constraint that rejects it. {@code resolver} is the session the event would go to.
     */
    public boolean mayFire(SecurityEvent event, ValueResolver resolver) {
        if (unconditional) {
            return true;
        }
        DefaultFactHandle handle = new DefaultFactHandle(0, event);
        try {
            for (Guard g : roots) {
                if (accepts(g, handle, resolver)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true; // outside an evaluation: the session evaluates it and fails (or not) as it would anyway
        }
    }

    private static boolean accepts(Guard g, DefaultFactHandle handle, ValueResolver resolver) {
        if (!g.constraint.isAllowed(handle, resolver)) {
            return false;
        }
        if (g.feedsRule) {
            return true;
        }
        for (Guard child : g.children) {
            if (accepts(child, handle, resolver)) {
                return true;
            }
        }
        return false;
    }
}
