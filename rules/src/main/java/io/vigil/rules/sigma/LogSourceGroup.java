package io.vigil.rules.sigma;

import java.util.List;

/** The rules of one log source, behind the condition that selects its events: an event meets only these. */
record LogSourceGroup(LogSourceKey key, Matcher selects, CompiledRule[] rules, LiteralIndex index) {

    LogSourceGroup(LogSourceKey key, Matcher selects, List<CompiledRule> rules) {
        this(key, selects, rules.toArray(CompiledRule[]::new));
    }

    private LogSourceGroup(LogSourceKey key, Matcher selects, CompiledRule[] rules) {
        this(key, selects, rules, new LiteralIndex(rules));
    }
}
