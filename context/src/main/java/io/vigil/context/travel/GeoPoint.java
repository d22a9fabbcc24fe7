package io.vigil.context.travel;

/**
 * A place on the Earth, in degrees.
 *
 * @param lat latitude, -90 to 90
 * @param lon longitude, -180 to 180
 */
public record GeoPoint(double lat, double lon) {

    /** The Earth's mean radius (IUGG), in km. */
    public static final double EARTH_RADIUS_KM = 6371.0088;

    /** The longest distance between two places on the Earth, along its surface: half a great circle. */
    public static final double MAX_DISTANCE_KM = Math.PI * EARTH_RADIUS_KM;

    /** Longest text {@link #parse} reads: two numbers of ordinary length. */
    private static final int MAX_TEXT = 64;

    public GeoPoint {
        if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("not a place: " + lat + "," + lon);
        }
    }

    /** The place {@code "lat,lon"} ({@code source.geo.location}) names, or {@code null} when it names none. */
    public static GeoPoint parse(String text) {
        if (text == null || text.length() > MAX_TEXT) {
            return null;
        }
        int comma = text.indexOf(',');
        if (comma < 0) {
            return null;
        }
        try {
            double lat = Double.parseDouble(text.substring(0, comma).strip());
            double lon = Double.parseDouble(text.substring(comma + 1).strip());
            if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
                return null;
            }
            return new GeoPoint(lat, lon);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The great-circle distance to {@code other} in km (haversine formula on a sphere of the mean radius). */
    public double distanceKm(GeoPoint other) {
        double p1 = Math.toRadians(lat);
        double p2 = Math.toRadians(other.lat);
        double dp = p2 - p1;
        double dl = Math.toRadians(other.lon - lon);
        double h = sq(Math.sin(dp / 2)) + Math.cos(p1) * Math.cos(p2) * sq(Math.sin(dl / 2));
        // min: rounding can push h a hair past 1 for antipodes
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, h)));
    }

    private static double sq(double x) {
        return x * x;
    }
}
