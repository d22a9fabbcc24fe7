package io.vigil.jobs.detect;

import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleError;
import java.nio.charset.StandardCharsets;

/** The dead letter of a rule that failed on an event: the event as evidence, the rule, and why. */
public final class RuleErrorLetters {

    /** The decoder of a letter whose event names no module. */
    static final String UNKNOWN_MODULE = "unknown";

    private RuleErrorLetters() {}

    /**
     * A {@link DeadLetter#RULE_ERROR} letter: raw is the event's {@code event.original} (the
     * record as received), else the event as ECS JSON; origin is the event's; reason names the
     * rule, where it failed and the error's class and message, bounded and on one line.
     */
    public static DeadLetter of(RuleError error) {
        SecurityEvent e = error.event();
        String original = e.eventOriginal();
        String raw = original != null && !original.isEmpty() ? original : EcsJson.write(e);
        String module = e.eventModule() != null && !e.eventModule().isEmpty() ? e.eventModule() : UNKNOWN_MODULE;
        return new DeadLetter(raw, DeadLetter.UTF_8, raw.getBytes(StandardCharsets.UTF_8).length, e.origin(), module,
                error.reason(), DeadLetter.RULE_ERROR, error.ruleId());
    }
}
