package io.vigil.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where the rule behind an alert comes from and on what terms, carried by every alert to every
 * output: the Detection Rule License that SigmaHQ rules are published under asks that an alert
 * keep the rule's author and licence, and an analyst weighs an alert differently by the rule's
 * maturity ({@code status}).
 *
 * @param ruleset {@code vigil} for Vigil's own DRL rules, {@code sigma} for compiled Sigma rules
 * @param authors who wrote the rule, one name each (Sigma separates several authors by commas)
 * @param license the rule's licence (an SPDX id for Sigma rules), or null when none is declared
 * @param references links that document the rule or what it detects
 * @param status Sigma's {@code stable}, {@code test}, {@code experimental}, … or null
 */
public record RuleProvenance(
        String ruleset,
        List<String> authors,
        String license,
        List<String> references,
        String status) {

    /** The ruleset of Vigil's own DRL rules, and of alerts that name no provenance. */
    public static final String VIGIL = "vigil";

    /**
     * Vigil's own rules with nothing else known: what alerts checkpointed before this record
     * existed stand for (every rule was a Vigil rule then).
     */
    public static final RuleProvenance UNKNOWN_VIGIL = new RuleProvenance(VIGIL, List.of(), null, List.of(), null);

    public RuleProvenance {
        ruleset = ruleset == null || ruleset.isBlank() ? VIGIL : ruleset;
        authors = immutable(authors);
        references = immutable(references);
    }

    /**
     * The authors of one Sigma {@code author} value: the specification separates several by
     * commas. Null or blank gives none.
     */
    public static List<String> splitAuthors(String author) {
        List<String> out = new ArrayList<>();
        if (author != null) {
            for (String part : author.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /**
     * Whose rule it is, for texts a person reads ({@code sigma rule by A, B, DRL-1.1}), as the
     * Detection Rule License asks of any output of a rule; {@code null} for Vigil's own rules.
     */
    public String attribution() {
        if (VIGIL.equals(ruleset)) {
            return null;
        }
        StringBuilder s = new StringBuilder(ruleset).append(" rule");
        if (!authors.isEmpty()) {
            s.append(" by ").append(String.join(", ", authors));
        }
        if (license != null) {
            s.append(", ").append(license);
        }
        return s.toString();
    }

    private static List<String> immutable(List<String> values) {
        return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
    }
}
