package io.vigil.rules.firstseen;

import io.vigil.model.EcsJson;
import io.vigil.model.SecurityEvent;
import java.io.Serializable;
import java.util.List;

/**
 * One condition of a first-seen rule's filter: the value of {@code field} (its first value for a
 * list field) is one of {@code values}. A value written {@code prefix*} matches by its start,
 * {@code *suffix} by its end, {@code *} alone any present value. Plain comparisons, no regular
 * expressions: the cost per event is the length of the patterns.
 *
 * @param field the dotted ECS name
 * @param values the accepted values, as written in the rule
 * @param ignoreCase whether letters compare without case
 */
public record FieldFilter(String field, List<String> values, boolean ignoreCase) implements Serializable {

    public FieldFilter {
        values = List.copyOf(values);
    }

    /** Whether {@code event}'s value of the field is one of the values (false when it has none). */
    public boolean matches(SecurityEvent event) {
        String v = EcsJson.value(event, field);
        if (v == null) {
            return false;
        }
        for (String pattern : values) {
            if (matches(pattern, v)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(String pattern, String v) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.length() > 1 && pattern.endsWith("*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return v.regionMatches(ignoreCase, 0, prefix, 0, prefix.length());
        }
        if (pattern.length() > 1 && pattern.startsWith("*")) {
            String suffix = pattern.substring(1);
            return v.length() >= suffix.length()
                    && v.regionMatches(ignoreCase, v.length() - suffix.length(), suffix, 0, suffix.length());
        }
        return ignoreCase ? v.equalsIgnoreCase(pattern) : v.equals(pattern);
    }
}
