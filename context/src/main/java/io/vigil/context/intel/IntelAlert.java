package io.vigil.context.intel;

import io.vigil.context.ContextAlert;
import io.vigil.context.ContextRule;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code threat-intel-match} alert of events that matched an indicator (their
 * {@link IntelFields}): one per indicator value and host, severity from the indicator's confidence.
 * The live match and the retro-hunt build it here, so both give the same document and id.
 */
public final class IntelAlert {

    public static final ContextRule RULE = new ContextRule("threat-intel-match", 1, "Threat intelligence match",
            "An event carries an address, domain, URL or file hash that a threat intelligence feed names as an "
                    + "indicator of compromise, valid at the event's time.",
            "medium", 47, List.of(), List.of(), List.of("threat-intel"));

    /** The context field that marks an alert raised on past events. */
    public static final String RETRO = "vigil.alert.retro";

    private IntelAlert() {}

    /**
     * The group key of a matched event: the indicator it matched ({@code threat.indicator.name}, not
     * the matched value: random subdomains of one listed domain are one key, so the keys are bounded by
     * the feeds, not by the input), and the host it was seen on when known.
     */
    public static String groupKey(SecurityEvent matched) {
        String indicator = matched.field(IntelFields.NAME);
        if (indicator == null || matched.field(IntelFields.MATCHED_ATOMIC) == null) {
            throw new IllegalArgumentException("the event matched no indicator (no " + IntelFields.NAME + ")");
        }
        return matched.hostName() == null ? indicator : indicator + " @ " + matched.hostName();
    }

    /** Severity from the confidence label: High → high, Medium → medium, Low and None → low. */
    public static String severity(String confidenceLabel) {
        return switch (confidenceLabel == null ? "" : confidenceLabel) {
            case "High" -> "high";
            case "Medium" -> "medium";
            default -> "low";
        };
    }

    /** Elastic's risk score of a severity (low 21, medium 47, high 73, critical 99). */
    public static int riskScore(String severity) {
        return switch (severity) {
            case "critical" -> 99;
            case "high" -> 73;
            case "medium" -> 47;
            default -> 21;
        };
    }

    /**
     * The alert of {@code events} (first to last, all matching the same indicator and host);
     * {@code retro}: found by hunting past events.
     */
    public static Alert of(List<SecurityEvent> events, boolean retro) {
        SecurityEvent first = events.get(0);
        Map<String, String> context = new TreeMap<>();
        for (String name : IntelFields.ALL) {
            String v = first.field(name);
            if (v != null) {
                context.put(name, v);
            }
        }
        if (retro) {
            context.put(RETRO, "true");
        }
        String severity = severity(first.field(IntelFields.CONFIDENCE));
        return ContextAlert.of(RULE.withSeverity(severity, riskScore(severity)), IntelFields.NAME,
                groupKey(first), events, context);
    }
}
