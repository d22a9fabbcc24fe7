package io.vigil.rules;

import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.ConsequenceExceptionHandler;
import org.kie.api.runtime.rule.Match;
import org.kie.api.runtime.rule.RuleRuntime;

/**
 * Drools' handler of what a consequence throws, for Vigil's knowledge bases: inside an evaluation
 * the exception is that rule's error for the event and the engine goes on firing the other rules;
 * outside one it fails as Drools' default handler does. Drools catches {@link Exception}s only:
 * an {@link Error} in a consequence leaves the session, and the evaluator handles it there.
 * Drools makes one per session from the class name, hence public with a public constructor.
 */
public final class ConsequenceGuard implements ConsequenceExceptionHandler {

    @Override
    public void handleException(Match match, RuleRuntime workingMemory, Exception exception) {
        EvaluationScope scope = EvaluationScope.current();
        if (scope == null) {
            throw new ConsequenceException(exception, workingMemory, match);
        }
        scope.consequenceFailed(match.getRule().getName(), exception);
    }
}
