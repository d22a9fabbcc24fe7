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

    public ImpossibleTravel {
        if (!(maxSpeedKmh > 0) || !(minDistanceKm >= 0)) {
            throw new IllegalArgumentException("impossible travel: the speed must be above 0 km/h and the distance "
                    + "0 km or more, got " + maxSpeedKmh + " km/h and " + minDistanceKm + " km");
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
