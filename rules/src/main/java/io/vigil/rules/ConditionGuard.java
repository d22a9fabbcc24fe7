package io.vigil.rules;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.drools.base.RuleBase;
import org.drools.base.RuleBuildContext;
import org.drools.base.base.ObjectType;
import org.drools.base.base.ValueResolver;
import org.drools.base.rule.Declaration;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.constraint.AlphaNodeFieldConstraint;
import org.drools.base.rule.constraint.Constraint;
import org.drools.util.bitmask.BitMask;
import org.kie.api.runtime.rule.FactHandle;

/**
 * The constraint of one alpha node, guarded: inside an evaluation ({@link EvaluationScope}) what
 * the constraint throws is caught, recorded against the rules the node feeds, and the node rejects
 * the event, so the event goes on through the rest of the network. Outside an evaluation it is
 * the constraint itself. Installed in the compiled network by {@link GuardedNetwork}; shared by
 * every session of the knowledge base, so it holds no per-evaluation state.
 */
final class ConditionGuard implements AlphaNodeFieldConstraint {

    private static final long serialVersionUID = 1L;

    private final AlphaNodeFieldConstraint constraint;
    private final int id;
    private final String[] rules;

    /**
     * @param constraint the node's own constraint
     * @param id the node's index in its network (the scopes' arrays are indexed by it)
     * @param rules the rules below the node, by name
     */
    ConditionGuard(AlphaNodeFieldConstraint constraint, int id, String[] rules) {
        this.constraint = constraint;
        this.id = id;
        this.rules = rules;
    }

    int id() {
        return id;
    }

    /** The rules this node feeds, by name (the rules a failure of its constraint belongs to). */
    String[] rules() {
        return rules;
    }

    AlphaNodeFieldConstraint constraint() {
        return constraint;
    }

    @Override
    public boolean isAllowed(FactHandle handle, ValueResolver valueResolver) {
        EvaluationScope scope = EvaluationScope.current();
        return scope == null ? constraint.isAllowed(handle, valueResolver) : scope.test(this, handle, valueResolver);
    }

    @Override
    public AlphaNodeFieldConstraint cloneIfInUse() {
        return this; // installed after the network is built: never shared into a new node
    }

    @Override
    public Declaration[] getRequiredDeclarations() {
        return constraint.getRequiredDeclarations();
    }

    @Override
    public void replaceDeclaration(Declaration oldDecl, Declaration newDecl) {
        constraint.replaceDeclaration(oldDecl, newDecl);
    }

    @Override
    public ConditionGuard clone() {
        return new ConditionGuard((AlphaNodeFieldConstraint) constraint.clone(), id, rules);
    }

    @Override
    public ConstraintType getType() {
        return constraint.getType();
    }

    @Override
    public boolean isTemporal() {
        return constraint.isTemporal();
    }

    @Override
    public BitMask getListenedPropertyMask(Optional<Pattern> pattern, ObjectType objectType, List<String> settableProperties) {
        return constraint.getListenedPropertyMask(pattern, objectType, settableProperties);
    }

    @Override
    public boolean equals(Object object, RuleBase kbase) {
        return object instanceof ConditionGuard other ? constraint.equals(other.constraint, kbase)
                : constraint.equals(object, kbase);
    }

    @Override
    public void registerEvaluationContext(RuleBuildContext ruleBuildContext) {
        constraint.registerEvaluationContext(ruleBuildContext);
    }

    @Override
    public void mergeEvaluationContext(Constraint other) {
        constraint.mergeEvaluationContext(other instanceof ConditionGuard g ? g.constraint : other);
    }

    @Override
    public Collection<String> getPackageNames() {
        return constraint.getPackageNames();
    }

    @Override
    public void addPackageNames(Collection<String> otherPkgs) {
        constraint.addPackageNames(otherPkgs);
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        // Vigil ships rule sources and compiles them in each task, never a serialized network
        throw new NotSerializableException("a guarded network is not serialized; compile its DRL sources");
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
        throw new NotSerializableException("a guarded network is not serialized; compile its DRL sources");
    }

    @Override
    public String toString() {
        return constraint.toString();
    }
}
