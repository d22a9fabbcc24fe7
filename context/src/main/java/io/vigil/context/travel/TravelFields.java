package io.vigil.context.travel;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The context fields of an impossible-travel alert: both places, the distance and the speed. */
public final class TravelFields {

    public static final String PREFIX = "vigil.travel.";

    private TravelFields() {}

    /**
     * {@code vigil.travel.from.*} and {@code vigil.travel.to.*} ({@code ip}, {@code country_iso_code},
     * {@code city_name}, {@code location}, {@code timestamp}), {@code vigil.travel.distance_km} and
     * {@code vigil.travel.speed_kmh} (one decimal).
     */
    public static Map<String, String> of(Journey j) {
        Map<String, String> f = new TreeMap<>();
        place(f, "from", j.from());
        place(f, "to", j.to());
        f.put(PREFIX + "distance_km", oneDecimal(j.distanceKm()));
        f.put(PREFIX + "speed_kmh", oneDecimal(j.speedKmh()));
        return f;
    }

    private static void place(Map<String, String> f, String side, SignIn s) {
        String p = PREFIX + side + ".";
        f.put(p + "ip", s.ip());
        f.put(p + "location", s.location());
        f.put(p + "timestamp", Instant.ofEpochMilli(s.at()).toString());
        if (s.country() != null) {
            f.put(p + "country_iso_code", s.country());
        }
        if (s.city() != null) {
            f.put(p + "city_name", s.city());
        }
    }

    private static String oneDecimal(double v) {
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }
}
