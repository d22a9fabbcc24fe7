package io.vigil.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Guards the names of {@link SecurityEvent#fields()}: format-specific ECS fields under a known
 * namespace, each name a plain dotted identifier. Decoders choose these names from their own
 * allow-lists; this check is the backstop that keeps log content from ever shaping a field name
 * (DESIGN invariant 6) and keeps documents small enough for an index mapping.
 */
public final class ExtraFields {

    /** Namespaces a format-specific field may live under. */
    public static final String[] NAMESPACES = {
        "log.", "winlog.", "aws.", "zeek.", "dns.", "tls.", "file.", "network.", "service.",
        "group.", "error.", "observer.", "rule.", "process.", "user.", "source.", "destination.", "event.",
        "user_agent.", "url.", "http.", "host.", "cloud.", "vigil.", "system."
    };

    /** Most fields one event may carry. */
    public static final int MAX_FIELDS = 128;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]{0,79}){1,5}");

    /**
     * Names already judged. Decoders draw names from fixed allow-lists, so this stays small and
     * saves a regex match per field per event; it stops growing at {@link #CACHE_LIMIT} names.
     */
    private static final ConcurrentHashMap<String, Boolean> JUDGED = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 16_384;

    private ExtraFields() {}

    /** Returns {@code fields} when every name is acceptable, otherwise throws. */
    public static Map<String, String> check(Map<String, String> fields) {
        if (fields.size() > MAX_FIELDS) {
            throw new IllegalArgumentException("an event carries at most " + MAX_FIELDS + " extra fields, got " + fields.size());
        }
        for (String name : fields.keySet()) {
            if (!isAllowed(name)) {
                throw new IllegalArgumentException("not an allowed extra field name: " + name);
            }
        }
        return fields;
    }

    public static boolean isAllowed(String name) {
        if (name == null) {
            return false;
        }
        Boolean known = JUDGED.get(name);
        if (known != null) {
            return known;
        }
        boolean allowed = judge(name);
        if (JUDGED.size() < CACHE_LIMIT) {
            JUDGED.put(name, allowed);
        }
        return allowed;
    }

    private static boolean judge(String name) {
        if (!NAME.matcher(name).matches()) {
            return false;
        }
        for (String ns : NAMESPACES) {
            if (name.startsWith(ns)) {
                return true;
            }
        }
        return false;
    }
}
