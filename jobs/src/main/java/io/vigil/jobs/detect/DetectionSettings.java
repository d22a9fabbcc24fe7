package io.vigil.jobs.detect;

import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * What the detection part of a topology needs: the rules and the settings of event time,
 * isolation and state. {@link #of} gives the defaults; the {@code with…} methods change one.
 *
 * @param rules the verified rules
 * @param outOfOrderness how late events may arrive and still correlate as if in order
 * @param stateTtl how long correlation state of a key survives without updates (a backstop to the timers)
 * @param idleTimeout after how long without events a source subtask stops holding the watermark back;
 *     {@code null} for none (bounded input, where every subtask ends)
 * @param ruleQuarantineAfter consecutive failures that quarantine a rule in a task (0: never)
 * @param maxKeys correlation keys holding state on one subtask, at most
 * @param maxNewKeysPerMinute how many new group keys per minute one rule alerts for one by one before
 *     the rest is aggregated into a mass-activity alert (0: never aggregated)
 * @param exceptions the exceptions applied to the rules' hits ({@link RuleExceptions#NONE}: none)
 */
public record DetectionSettings(RuleSet rules, Duration outOfOrderness, Duration stateTtl, Duration idleTimeout,
                                int ruleQuarantineAfter, int maxKeys, int maxNewKeysPerMinute,
                                RuleExceptions exceptions) implements Serializable {

    public DetectionSettings {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(outOfOrderness, "outOfOrderness");
        Objects.requireNonNull(stateTtl, "stateTtl");
        Objects.requireNonNull(exceptions, "exceptions");
        if (ruleQuarantineAfter < 0) {
            throw new IllegalArgumentException("ruleQuarantineAfter must be 0 (never) or more, got "
                    + ruleQuarantineAfter);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
        }
        if (maxNewKeysPerMinute < 0) {
            throw new IllegalArgumentException("maxNewKeysPerMinute must be 0 (off) or more, got "
                    + maxNewKeysPerMinute);
        }
    }

    /**
     * The rules with these event-time settings, no idleness, and the default quarantine, key bound and
     * mass-activity limit.
     */
    public static DetectionSettings of(RuleSet rules, Duration outOfOrderness, Duration stateTtl) {
        return new DetectionSettings(rules, outOfOrderness, stateTtl, null, RuleEvaluator.DEFAULT_QUARANTINE_AFTER,
                Detection.DEFAULT_MAX_KEYS, MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE, RuleExceptions.NONE);
    }

    public DetectionSettings withIdleTimeout(Duration timeout) {
        return new DetectionSettings(rules, outOfOrderness, stateTtl, timeout, ruleQuarantineAfter, maxKeys,
                maxNewKeysPerMinute, exceptions);
    }

    public DetectionSettings withRuleQuarantineAfter(int failures) {
        return new DetectionSettings(rules, outOfOrderness, stateTtl, idleTimeout, failures, maxKeys,
                maxNewKeysPerMinute, exceptions);
    }

    public DetectionSettings withMaxKeys(int keys) {
        return new DetectionSettings(rules, outOfOrderness, stateTtl, idleTimeout, ruleQuarantineAfter, keys,
                maxNewKeysPerMinute, exceptions);
    }

    public DetectionSettings withMaxNewKeysPerMinute(int keys) {
        return new DetectionSettings(rules, outOfOrderness, stateTtl, idleTimeout, ruleQuarantineAfter, maxKeys,
                keys, exceptions);
    }

    public DetectionSettings withExceptions(RuleExceptions entries) {
        return new DetectionSettings(rules, outOfOrderness, stateTtl, idleTimeout, ruleQuarantineAfter, maxKeys,
                maxNewKeysPerMinute, entries);
    }
}
