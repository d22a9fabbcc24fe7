package io.vigil.jobs.webhook;

import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.model.Alert;
import io.vigil.model.Incident;
import java.io.Serializable;
import java.util.Set;

/**
 * Which alerts and incident changes an endpoint receives.
 *
 * @param alerts new alerts are sent
 * @param incidents incident changes (created, grown, merged) are sent
 * @param minSeverity {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param ruleIds only alerts of these rules (incidents with an alert of one of them); empty for all
 * @param tags only alerts with one of these rule tags (not applied to incidents); empty for all
 */
public record WebhookFilter(boolean alerts, boolean incidents, String minSeverity, Set<String> ruleIds,
                            Set<String> tags) implements Serializable {

    public static final WebhookFilter ALL_ALERTS = new WebhookFilter(true, false, "low", Set.of(), Set.of());

    public WebhookFilter {
        if (AlertDocuments.severityNumber(minSeverity) == 0) {
            throw new IllegalArgumentException("min-severity must be low, medium, high or critical: " + minSeverity);
        }
        ruleIds = Set.copyOf(ruleIds);
        tags = Set.copyOf(tags);
    }

    public boolean accepts(Alert a) {
        return alerts && severe(a.severity()) && (ruleIds.isEmpty() || ruleIds.contains(a.ruleId()))
                && (tags.isEmpty() || a.tags().stream().anyMatch(tags::contains));
    }

    public boolean accepts(Incident i) {
        return incidents && severe(i.severity())
                && (ruleIds.isEmpty() || i.ruleIds().stream().anyMatch(ruleIds::contains));
    }

    private boolean severe(String severity) {
        return severity != null && AlertDocuments.severityNumber(severity) >= AlertDocuments.severityNumber(minSeverity);
    }
}
