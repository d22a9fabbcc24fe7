package io.vigil.rules;

/**
 * Why a rule (or a whole rule file) is not active: a DRL compile error, bad metadata, or a
 * failing fixture. Names the file, the line when known (else 0) and the rule when known.
 */
public record RuleProblem(String file, int line, String ruleId, String message) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + (ruleId != null ? " [" + ruleId + "]" : "") + ": " + message;
    }
}
