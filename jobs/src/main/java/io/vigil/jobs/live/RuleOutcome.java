package io.vigil.jobs.live;

import java.util.List;

/**
 * What became of one control record: the document the job writes to the {@code vigil-rules} index
 * ({@link RulesDocuments}), under the record's id, so a restore writes the same document again.
 *
 * @param recordId the control record's id (or {@code bad-<source>-<offset>} for a record that is none)
 * @param kind push, promote, rollback or clear
 * @param slot live or shadow
 * @param version the bundle's version
 * @param digest the bundle's content digest (null when unreadable)
 * @param author the bundle's author, from its manifest
 * @param description the bundle's description
 * @param actor who wrote the record
 * @param at when the record was written (epoch ms; the document's {@code @timestamp})
 * @param effectiveAt from which event time the bundle applies (epoch ms)
 * @param outcome {@link #ACTIVE} or {@link #REFUSED}
 * @param step the step that refused it, or null
 * @param reason why it was refused, or null
 * @param rules the active rules, as {@code id@version}
 * @param exceptionCount how many exceptions it carries
 */
public record RuleOutcome(String recordId, String kind, String slot, String version, String digest, String author,
                          String description, String actor, long at, long effectiveAt, String outcome, String step,
                          String reason, List<String> rules, int exceptionCount) {

    public static final String ACTIVE = "active";
    public static final String REFUSED = "refused";

    public RuleOutcome {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public boolean accepted() {
        return ACTIVE.equals(outcome);
    }
}
