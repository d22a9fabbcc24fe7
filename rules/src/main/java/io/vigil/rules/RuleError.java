package io.vigil.rules;

import io.vigil.model.SecurityEvent;
import java.util.Objects;

/**
 * A rule that threw while evaluating one event. The event went on through every other rule; this
 * rule gave no hit for it. The job makes a {@code rule-error} dead letter of it.
 *
 * @param ruleId the rule, or {@link #UNKNOWN_RULE} when the failure cannot be attributed
 * @param event the event being evaluated
 * @param stage where the rule failed
 * @param where what failed, for the reason: the condition's expression, or empty
 * @param error what was thrown
 */
public record RuleError(String ruleId, SecurityEvent event, Stage stage, String where, Throwable error) {

    /** Rule id of a failure no rule can be named for (a join or {@code eval} of a custom pack). */
    public static final String UNKNOWN_RULE = "(unknown)";

    /** Longest reason, in characters: an error message can carry event content of any length. */
    public static final int MAX_REASON_CHARS = 1000;

    /** Longest expression quoted in a reason. */
    static final int MAX_WHERE_CHARS = 200;

    /** Where in a rule the error happened. */
    public enum Stage {
        /** A constraint of the rule's pattern (the {@code when} part) threw. */
        CONDITION("condition"),
        /** The rule's consequence (the {@code then} part) threw. */
        CONSEQUENCE("consequence"),
        /** The session failed outside any condition Vigil can guard (a join, {@code eval}, {@code accumulate}). */
        EVALUATION("evaluation");

        private final String text;

        Stage(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public RuleError {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(error, "error");
        where = where == null ? "" : where;
    }

    /**
     * Why, in one bounded line: the rule, the stage, the condition, and the error's class and
     * message (the Drools wrapper skipped, the cause named); never a stack trace.
     */
    public String reason() {
        StringBuilder s = new StringBuilder("rule '").append(ruleId).append("' failed in its ").append(stage);
        if (!where.isEmpty()) {
            s.append(" [").append(bounded(where, MAX_WHERE_CHARS)).append(']');
        }
        s.append(": ").append(describe(error));
        return bounded(s.toString(), MAX_REASON_CHARS);
    }

    /** The class of what the rule threw (the engine's wrappers skipped). */
    public String errorClass() {
        return thrown(error).getClass().getName();
    }

    /** The error's class and message, and its root cause's when that is another error. */
    static String describe(Throwable error) {
        Throwable shown = thrown(error);
        String text = oneError(shown);
        Throwable root = shown;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        return root == shown ? text : text + " (caused by " + oneError(root) + ")";
    }

    /** What the rule threw: Drools and MVEL wrap it (MVEL also in plain RuntimeExceptions of its own). */
    private static Throwable thrown(Throwable error) {
        Throwable shown = error;
        for (int depth = 0; shown.getCause() != null && isEngineWrapper(shown) && depth < 16; depth++) {
            shown = shown.getCause();
        }
        return shown;
    }

    private static boolean isEngineWrapper(Throwable t) {
        // the engine calls a rule's functions by reflection, and wraps what they throw
        if (isEngineClass(t.getClass().getName()) || t instanceof java.lang.reflect.InvocationTargetException
                || t instanceof java.lang.reflect.UndeclaredThrowableException) {
            return true;
        }
        StackTraceElement[] at = t.getStackTrace();
        return t.getClass() == RuntimeException.class && at.length > 0 && isEngineClass(at[0].getClassName());
    }

    private static boolean isEngineClass(String name) {
        return name.startsWith("org.drools.") || name.startsWith("org.kie.") || name.startsWith("org.mvel2.");
    }

    private static String oneError(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isEmpty() ? t.getClass().getName() : t.getClass().getName() + ": " + message;
    }

    private static String bounded(String s, int max) {
        // one line: an error message may carry the event's own line breaks
        String line = s.replace('\r', ' ').replace('\n', ' ');
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    /**
     * Throws what must not be caught for one event: the JVM itself in trouble (out of memory),
     * also when the engine wrapped it (MVEL wraps what a function throws until it compiles the
     * condition to bytecode, which does not). A StackOverflowError is not: it unwinds to where it
     * is caught and leaves the thread usable.
     */
    static void rethrowIfFatal(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) {
            if (c instanceof VirtualMachineError fatal && !(c instanceof StackOverflowError)) {
                throw fatal;
            }
        }
    }
}
