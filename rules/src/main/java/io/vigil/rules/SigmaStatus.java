package io.vigil.rules;

/**
 * What became of one Sigma document: compiled, unsupported (its log source, or a feature Vigil
 * does not run), or a problem (why it does not compile).
 *
 * @param file the file it came from
 * @param ruleId its {@code id}, or null when it has none
 * @param title its {@code title}, or null
 * @param kind {@code rule}, {@code correlation} or {@code filter}
 * @param logSource {@code product/category/service} (empty parts for absent ones), or empty
 * @param state what became of it
 * @param reason why it is unsupported or a problem; null when compiled
 */
public record SigmaStatus(String file, String ruleId, String title, String kind, String logSource, State state,
                          String reason) {

    public enum State { COMPILED, UNSUPPORTED, PROBLEM }

    @Override
    public String toString() {
        return file + " [" + (ruleId != null ? ruleId : title) + "] " + kind + " " + logSource + ": "
                + state.name().toLowerCase(java.util.Locale.ROOT) + (reason == null ? "" : " (" + reason + ")");
    }
}
