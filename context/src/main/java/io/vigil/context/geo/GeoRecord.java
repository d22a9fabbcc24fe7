package io.vigil.context.geo;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The ECS geo and AS fields of one database record, whichever of the two schemas it has:
 * MaxMind's GeoLite2/GeoIP2 ({@code country.iso_code}, {@code city.names.en},
 * {@code subdivisions[0].names.en}, {@code continent.code}, {@code location.latitude} and
 * {@code longitude}, {@code autonomous_system_number} and {@code _organization}) or the flat one of
 * the ip-location-db packages ({@code country_code}, {@code city}, {@code state1},
 * {@code latitude}, {@code longitude}, {@code autonomous_system_number} and {@code _organization}).
 * Each value is checked (a two-letter country code, a latitude within ±90, a whole AS number, text
 * of bounded length): a value that is not what it should be is left out, never written as it is.
 */
final class GeoRecord {

    /** Longest name (city, region, country, AS organization) written. */
    static final int MAX_NAME = 256;

    private GeoRecord() {}

    /** The geo group's field names (after the prefix): written together from one record, or not at all. */
    private static final List<String> GEO = List.of(".geo.country_iso_code", ".geo.country_name",
            ".geo.continent_code", ".geo.city_name", ".geo.region_name", ".geo.location");

    /** The AS group's field names (after the prefix). */
    private static final List<String> AS = List.of(".as.number", ".as.organization.name");

    /**
     * Adds the fields of {@code record} under {@code prefix} ({@code source} or {@code destination})
     * to {@code fields}, group by group: the geo group ({@code .geo.*}) and the AS group
     * ({@code .as.*}) each come whole from the first database that has any of it, never merged
     * field by field (a country of one record beside a city of another names no real place).
     */
    static void addTo(Map<?, ?> record, String prefix, Map<String, String> fields) {
        if (!any(fields, prefix, GEO)) {
            String country = code(first(at(record, "country", "iso_code"), record.get("country_code")), 2);
            put(fields, prefix + ".geo.country_iso_code", country);
            put(fields, prefix + ".geo.country_name", name(at(record, "country", "names", "en")));
            put(fields, prefix + ".geo.continent_code", code(at(record, "continent", "code"), 2));
            put(fields, prefix + ".geo.city_name",
                    name(first(at(record, "city", "names", "en"), flatText(record, "city"))));
            put(fields, prefix + ".geo.region_name", name(first(subdivision(record), record.get("state1"))));
            String location = location(first(at(record, "location", "latitude"), record.get("latitude")),
                    first(at(record, "location", "longitude"), record.get("longitude")));
            put(fields, prefix + ".geo.location", location);
        }
        if (!any(fields, prefix, AS)) {
            put(fields, prefix + ".as.number", asNumber(record.get("autonomous_system_number")));
            put(fields, prefix + ".as.organization.name", name(record.get("autonomous_system_organization")));
        }
    }

    private static boolean any(Map<String, String> fields, String prefix, List<String> group) {
        for (String name : group) {
            if (fields.containsKey(prefix + name)) {
                return true;
            }
        }
        return false;
    }

    private static void put(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private static Object first(Object a, Object b) {
        return a != null ? a : b;
    }

    /** The value at a path of nested maps, or null. */
    private static Object at(Map<?, ?> record, String... path) {
        Object v = record;
        for (String step : path) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(step);
        }
        return v;
    }

    /** {@code city} of the flat schema (MaxMind's {@code city} is a map, read above). */
    private static Object flatText(Map<?, ?> record, String key) {
        Object v = record.get(key);
        return v instanceof String ? v : null;
    }

    /** MaxMind's most general subdivision (the first of the list): a state, a region. */
    private static Object subdivision(Map<?, ?> record) {
        if (record.get("subdivisions") instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m) {
            return at(m, "names", "en");
        }
        return null;
    }

    /** {@code length} ASCII letters, upper-cased; anything else is not a code. */
    private static String code(Object v, int length) {
        if (!(v instanceof String s) || s.length() != length) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return null;
            }
        }
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    private static String name(Object v) {
        if (!(v instanceof String s)) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() || t.length() > MAX_NAME ? null : t;
    }

    /** {@code "lat,lon"} (Elasticsearch's geo_point text form) when both are numbers in range. */
    static String location(Object lat, Object lon) {
        if (!(lat instanceof Number la) || !(lon instanceof Number lo)) {
            return null;
        }
        double a = la.doubleValue();
        double o = lo.doubleValue();
        if (!(a >= -90 && a <= 90) || !(o >= -180 && o <= 180)) {
            return null;
        }
        return decimal(la) + "," + decimal(lo);
    }

    private static String decimal(Number n) {
        // the database's own digits: a float record's shortest text is its float's, not the
        // widened double's (51.5142f is 51.514198303222656 as a double)
        String text = n instanceof Float f ? Float.toString(f) : Double.toString(n.doubleValue());
        return new BigDecimal(text).stripTrailingZeros().toPlainString();
    }

    /** A whole AS number 0..2^32-1, written in decimal. */
    private static String asNumber(Object v) {
        if (v instanceof Number n) {
            long l = n.longValue();
            if (l >= 0 && l <= 0xffff_ffffL && n.doubleValue() == l) {
                return Long.toString(l);
            }
        }
        return null;
    }
}
