package io.vigil.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event fields Vigil's index templates map as {@code ip}, and what becomes of a value that is
 * not an IP literal ({@link IpLiteral}): it leaves the field for {@code vigil.invalid.<field>}
 * (mapped as keyword), so Elasticsearch never refuses a document for it, rules never group on
 * it, and the value stays evidence. {@link SecurityEvent} applies this when it is built.
 */
public final class IpFields {

    /** Every event field a template maps as {@code ip}: an extra field mapped so must be added here. */
    public static final List<String> MAPPED_AS_IP = List.of("source.ip", "destination.ip", "related.ip");

    /** Where a value that is not an IP literal is kept: this prefix and the field's name. */
    public static final String INVALID_PREFIX = "vigil.invalid.";

    public static final String INVALID_SOURCE_IP = INVALID_PREFIX + "source.ip";
    public static final String INVALID_DESTINATION_IP = INVALID_PREFIX + "destination.ip";
    /** Holds the invalid {@code related.ip} values as a JSON array of strings. */
    public static final String INVALID_RELATED_IP = INVALID_PREFIX + "related.ip";

    /** The {@code vigil.invalid.*} names, at most one of each per event. */
    public static final List<String> INVALID_NAMES = List.of(INVALID_SOURCE_IP, INVALID_DESTINATION_IP,
            INVALID_RELATED_IP);

    private IpFields() {}

    /** Records {@code value} under {@code name} when it is set but not an IP literal; returns {@code invalid}. */
    static Map<String, String> keepInvalid(Map<String, String> invalid, String name, String value) {
        if (value == null || value.isEmpty() || IpLiteral.isIp(value)) {
            return invalid;
        }
        Map<String, String> out = invalid == null ? new TreeMap<>() : invalid;
        out.put(name, value);
        return out;
    }

    /** Whether every value is an IP literal (the common case, checked without allocating). */
    static boolean allValid(List<String> values) {
        for (String v : values) {
            if (!IpLiteral.isIp(v)) {
                return false;
            }
        }
        return true;
    }

    /** The IP literals of {@code values}, in order. */
    static List<String> validOnly(List<String> values) {
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            if (IpLiteral.isIp(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** The values that are not IP literals (empty ones left out), as a JSON array, or {@code null} when none. */
    static String invalidAsJson(List<String> values) {
        var array = EcsJson.MAPPER.createArrayNode();
        for (String v : values) {
            if (v != null && !v.isEmpty() && !IpLiteral.isIp(v)) {
                array.add(v);
            }
        }
        return array.isEmpty() ? null : EcsJson.toJson(array);
    }
}
