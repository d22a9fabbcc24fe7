package io.vigil.rules;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.drools.base.rule.constraint.AlphaNodeFieldConstraint;
import org.drools.base.rule.constraint.QueryNameConstraint;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.AlphaNode;
import org.drools.core.reteoo.ObjectSink;
import org.drools.core.reteoo.ObjectSource;
import org.drools.core.reteoo.ObjectTypeNode;
import org.drools.core.reteoo.TerminalNode;
import org.kie.api.KieBase;
import org.kie.api.definition.rule.Rule;

/**
 * The compiled network of a pack with a {@link ConditionGuard} around every alpha node's
 * constraint, installed once after compilation, so that a condition that throws on one event is
 * that rule's error for that event rather than the end of the evaluation.
 *
 * <p>Drools gives no hook around a constraint: the guard replaces the node's {@code constraint}
 * field, by reflection. That is safe once the network is built: nodes are compared and hashed by
 * their constraint only while rules are added (their hash is computed at construction), and
 * hashed alpha nodes ({@code ==} on a field, three or more per field) are found by value without
 * their constraint. Query nodes are left alone (the engine reads their constraint's type).
 *
 * <p>It also tells which rules are <em>isolated</em>: rules of one {@code SecurityEvent} pattern,
 * whose only code is their constraints (guarded) and their consequence (the evaluator knows which
 * consequence runs). What other rules throw (a join, {@code eval}, {@code accumulate}) happens
 * while the session evaluates their network, where no rule can be named.
 */
final class GuardedNetwork {

    private static final Field CONSTRAINT;

    static {
        try {
            CONSTRAINT = AlphaNode.class.getDeclaredField("constraint");
            CONSTRAINT.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("Drools' AlphaNode has no 'constraint' field: " + e);
        }
    }

    private final ConditionGuard[] guards;
    private final Set<String> isolated;
    private final Set<String> unisolated;

    private GuardedNetwork(ConditionGuard[] guards, Set<String> isolated, Set<String> unisolated) {
        this.guards = guards;
        this.isolated = isolated;
        this.unisolated = unisolated;
    }

    /** A network without guards: every failure surfaces in the session, none in a condition. */
    static GuardedNetwork none(Collection<String> rules) {
        return new GuardedNetwork(new ConditionGuard[0], Set.of(), new TreeSet<>(rules));
    }

    /** Guards every alpha node of {@code kieBase}; call once, before any session exists. */
    static GuardedNetwork install(KieBase kieBase) {
        List<String> names = new ArrayList<>();
        kieBase.getKiePackages().forEach(p -> p.getRules().forEach(r -> names.add(r.getName())));
        if (!(kieBase instanceof InternalRuleBase ruleBase)) {
            return none(names);
        }
        Map<AlphaNode, ConditionGuard> guarded = new IdentityHashMap<>();
        for (ObjectTypeNode type : ruleBase.getRete().getObjectTypeNodes()) {
            guardBelow(type, guarded);
        }
        ConditionGuard[] guards = new ConditionGuard[guarded.size()];
        guarded.values().forEach(g -> guards[g.id()] = g);
        Set<String> isolated = new TreeSet<>();
        Set<String> unisolated = new TreeSet<>();
        Map<String, List<TerminalNode>> terminals = new HashMap<>();
        for (TerminalNode[] nodes : ruleBase.getReteooBuilder().getTerminalNodes().values()) {
            for (TerminalNode t : nodes) {
                terminals.computeIfAbsent(t.getRule().getName(), k -> new ArrayList<>()).add(t);
            }
        }
        for (String name : names) {
            List<TerminalNode> ofRule = terminals.getOrDefault(name, List.of());
            boolean single = !ofRule.isEmpty()
                    && ofRule.stream().allMatch(t -> EventPrefilter.chainOf(t, new ArrayList<>()) == null);
            (single ? isolated : unisolated).add(name);
        }
        return new GuardedNetwork(guards, isolated, unisolated);
    }

    private static void guardBelow(ObjectSource source, Map<AlphaNode, ConditionGuard> guarded) {
        for (ObjectSink sink : source.getObjectSinkPropagator().getSinks()) {
            if (!(sink instanceof AlphaNode node) || guarded.containsKey(node)) {
                continue;
            }
            AlphaNodeFieldConstraint constraint = node.getConstraint();
            if (!(constraint instanceof ConditionGuard) && !(constraint instanceof QueryNameConstraint)) {
                String[] rules = Arrays.stream(node.getAssociatedRules()).map(Rule::getName).distinct().sorted()
                        .toArray(String[]::new);
                ConditionGuard guard = new ConditionGuard(constraint, guarded.size(), rules);
                try {
                    CONSTRAINT.set(node, guard);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot guard alpha node " + node, e);
                }
                guarded.put(node, guard);
            }
            guardBelow(node, guarded);
        }
    }

    /** The guards, indexed by {@link ConditionGuard#id()}. */
    ConditionGuard[] guards() {
        return guards;
    }

    /** Whether everything {@code rule} can throw is attributed to it (see the class comment). */
    boolean isolates(String rule) {
        return isolated.contains(rule);
    }

    /** The rules whose failures may surface in the session unattributed. */
    Set<String> unisolated() {
        return unisolated;
    }
}
