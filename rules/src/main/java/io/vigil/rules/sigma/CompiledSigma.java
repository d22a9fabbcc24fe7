package io.vigil.rules.sigma;

import io.vigil.rules.RuleMeta;
import io.vigil.rules.RuleProblem;
import io.vigil.rules.SigmaMatcher;
import io.vigil.rules.SigmaRuleSet;
import io.vigil.rules.SigmaStatus;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The compiled Sigma rules of a rule pack; immutable, shared by the matchers of every thread. */
final class CompiledSigma implements SigmaRuleSet {

    private final FieldTable table;
    private final List<LogSourceGroup> groups;
    private final Map<String, RuleMeta> rules;
    private final List<RuleProblem> problems;
    private final List<SigmaStatus> statuses;

    CompiledSigma(FieldTable table, List<LogSourceGroup> groups, Map<String, RuleMeta> rules,
                  List<RuleProblem> problems, List<SigmaStatus> statuses) {
        this.table = table;
        this.groups = List.copyOf(groups);
        this.rules = Collections.unmodifiableMap(rules);
        this.problems = List.copyOf(problems);
        this.statuses = List.copyOf(statuses);
    }

    @Override
    public Map<String, RuleMeta> rules() {
        return rules;
    }

    @Override
    public List<RuleProblem> problems() {
        return problems;
    }

    @Override
    public List<SigmaStatus> statuses() {
        return statuses;
    }

    @Override
    public SigmaMatcher newMatcher() {
        return new SigmaEventMatcher(groups, new EventFields(table));
    }

    /** A matcher running every rule of a selected log source, without the literal index (tests). */
    SigmaMatcher newUnindexedMatcher() {
        return new SigmaEventMatcher(groups, new EventFields(table), false);
    }

    List<LogSourceGroup> groups() {
        return groups;
    }
}
