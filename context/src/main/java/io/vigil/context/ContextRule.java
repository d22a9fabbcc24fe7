package io.vigil.context;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The metadata of a detection the context stage makes (not a rule of the pack): what its alerts
 * say of themselves. Declared once, as a constant of the detection.
 *
 * @param id stable id ({@code threat-intel-match})
 * @param version bumped when what it detects changes
 * @param name human name
 * @param description what it detects
 * @param severity {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param riskScore 0–100
 * @param tactics MITRE ATT&CK tactic ids
 * @param techniques MITRE ATT&CK technique ids
 * @param tags tags
 */
public record ContextRule(String id, int version, String name, String description, String severity, int riskScore,
                          List<String> tactics, List<String> techniques, List<String> tags) {

    public static final Set<String> SEVERITIES = Set.of("low", "medium", "high", "critical");

    public ContextRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (!SEVERITIES.contains(severity)) {
            throw new IllegalArgumentException("severity is one of " + SEVERITIES + ": " + severity);
        }
        if (riskScore < 0 || riskScore > 100) {
            throw new IllegalArgumentException("risk score is 0 to 100: " + riskScore);
        }
        tactics = List.copyOf(tactics);
        techniques = List.copyOf(techniques);
        tags = List.copyOf(tags);
    }

    /** The same rule with another severity and risk score (an intel match takes them from its indicator's confidence). */
    public ContextRule withSeverity(String newSeverity, int newRiskScore) {
        return new ContextRule(id, version, name, description, newSeverity, newRiskScore, tactics, techniques, tags);
    }
}
