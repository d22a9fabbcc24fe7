package io.vigil.context.travel;

import java.io.Serializable;
import java.time.Duration;

/**
 * The decision: a journey between two successive sign-ins is impossible when it is at least
 * {@code minDistanceKm} long (nearby places are often one place to GeoIP) and needs more than
 * {@code maxSpeedKmh}.
 *
 * @param maxSpeedKmh speed over which a journey is impossible (900 km/h: an airliner's cruise)
 * @param minDistanceKm journeys shorter than this never count
 */
// Serializable: the Flink function that applies it travels with the job
public record ImpossibleTravel(double maxSpeedKmh, double minDistanceKm) implements Serializable {

    /**
     * The time the speed is computed over is at least this: two sign-ins in the same second are one
     * second apart, so the speed stays a finite number an index can hold.
     */
    static final long MIN_INTERVAL_MS = 1000;

    /**
     * The slowest speed accepted: below it the horizon (how long a sign-in is kept) grows absurd
     * (20,000 km at 50 km/h is 17 days of state per user) and walking pace would alert.
     */
    public static final double MIN_SPEED_KMH = 50;

    public ImpossibleTravel {
        if (!(maxSpeedKmh >= MIN_SPEED_KMH) || Double.isInfinite(maxSpeedKmh) || !(minDistanceKm >= 0)) {
            throw new IllegalArgumentException("detection.impossible-travel: max-speed-kmh must be at least "
                    + MIN_SPEED_KMH + " km/h and min-distance-km 0 km or more, got " + maxSpeedKmh + " km/h and "
                    + minDistanceKm + " km");
        }
    }

    /** The journey from {@code from} to {@code to} (the later) when it is impossible, else {@code null}. */
    public Journey judge(SignIn from, SignIn to) {
        GeoPoint a = from.place();
        GeoPoint b = to.place();
        if (a == null || b == null) {
            return null;
        }
        double distance = a.distanceKm(b);
        if (distance < minDistanceKm) {
            return null;
        }
        double speed = speedKmh(distance, to.at() - from.at());
        return speed > maxSpeedKmh ? new Journey(from, to, distance, speed) : null;
    }

    /** {@code distanceKm} over {@code intervalMs} (at least {@link #MIN_INTERVAL_MS}) in km/h. */
    static double speedKmh(double distanceKm, long intervalMs) {
        return distanceKm / (Math.max(MIN_INTERVAL_MS, Math.abs(intervalMs)) / 3_600_000.0);
    }

    /**
     * How long a sign-in can matter to the next one: past this, even the longest journey on the
     * Earth is possible at {@code maxSpeedKmh}, so the last sign-in of a user can be forgotten.
     */
    public Duration horizon() {
        return Duration.ofMillis((long) Math.ceil(GeoPoint.MAX_DISTANCE_KM / maxSpeedKmh * 3_600_000.0));
    }
}
