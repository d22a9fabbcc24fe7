package io.vigil.rules.exceptions;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One exception (an allowlist entry): hits of {@code rule} (or of every rule: {@code *}) on events
 * whose {@code field} is one of {@code values} or inside one of {@code cidr} are counted against
 * this entry and never alerted, until {@code expires} (compared with the event's own time, so a
 * replay gives the same result whenever it runs).
 *
 * @param id the entry's name in counts and reports (given, or {@code <file>#<n>})
 * @param rule a rule id, or {@code *} for all rules
 * @param field an ECS field name ({@code source.ip}, {@code user.name}, …)
 * @param values exact values (empty when only {@code cidr})
 * @param cidr address ranges (empty when only {@code values})
 * @param reason why the hits are expected (required)
 * @param author who added the entry (required)
 * @param expires when the entry stops applying, or null for never
 */
public record RuleException(String id, String rule, String field, List<String> values, List<String> cidr,
                            String reason, String author, Instant expires) implements Serializable {

    private static final long serialVersionUID = 1L;

    public RuleException {
        values = values == null ? List.of() : List.copyOf(values);
        cidr = cidr == null ? List.of() : List.copyOf(cidr);
    }
}
