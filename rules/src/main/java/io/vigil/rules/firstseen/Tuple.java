package io.vigil.rules.firstseen;

import io.vigil.model.EcsJson;
import io.vigil.model.SecurityEvent;
import java.util.List;
import java.util.Locale;

/**
 * The values of one to three fields of an event, as a first-seen rule takes them for its key or
 * its value: each cut to {@link #MAX_VALUE_CHARS} characters (so what state holds per value is
 * bounded), lower-cased when the rule ignores case.
 *
 * @param encoded each part as {@code <length>:<text>}, so no two tuples share an encoding
 *     whatever characters the values hold (the state's map key)
 * @param display the parts joined by {@code " | "}, for alerts
 */
public record Tuple(String encoded, String display) {

    /** Characters kept of each value. */
    public static final int MAX_VALUE_CHARS = 256;

    /** The tuple of {@code fields} of {@code event}, or {@code null} when any of them is absent or empty. */
    public static Tuple of(SecurityEvent event, List<String> fields, boolean ignoreCase) {
        StringBuilder encoded = new StringBuilder();
        StringBuilder display = new StringBuilder();
        for (String field : fields) {
            String v = EcsJson.value(event, field);
            if (v == null || v.isEmpty()) {
                return null;
            }
            if (v.length() > MAX_VALUE_CHARS) {
                v = v.substring(0, MAX_VALUE_CHARS);
            }
            if (ignoreCase) {
                v = v.toLowerCase(Locale.ROOT);
            }
            encoded.append(v.length()).append(':').append(v);
            if (display.length() > 0) {
                display.append(" | ");
            }
            display.append(v);
        }
        return new Tuple(encoded.toString(), display.toString());
    }
}
