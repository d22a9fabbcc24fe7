package io.vigil.rules;

import io.vigil.model.SecurityEvent;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/** Matches events against compiled Sigma rules; one per evaluator (it keeps per-event caches). */
public interface SigmaMatcher {

    /**
     * Adds to {@code hits} the hits of {@code event}: one per alerting rule in play that matches
     * it, one per correlation in play fed by a rule that matches it.
     *
     * @param inPlay whether a rule or correlation id may give a hit on this event
     * @param failed told of each rule (by id) that threw on the event; it gives no hit for it
     */
    void evaluate(SecurityEvent event, Predicate<String> inPlay, List<RuleHit> hits,
                  BiConsumer<String, Throwable> failed);

    /**
     * Nanoseconds each rule's own matcher took since this matcher was made, by rule id (rules that
     * never were a candidate may be left out): what {@link RuleStats#evalNanos()} reports for a
     * Sigma rule.
     */
    default Map<String, Long> ruleNanos() {
        return Map.of();
    }
}
