package io.vigil.jobs.context;

import io.vigil.context.travel.ImpossibleTravel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the context stage is configured with: the table files and the parameters of the context
 * detections. The streaming job reads it from the configuration ({@code enrich.*},
 * {@code detection.impossible-travel.*}, {@code detection.first-seen.*}); the replay from its
 * flags, with the configuration's defaults.
 *
 * @param intel threat intelligence files (STIX 2.1, MISP, CSV)
 * @param geoip MaxMind DB format files
 * @param assets the hosts table, or {@code null}
 * @param identities the identities table, or {@code null}
 * @param intelSuppression one threat-intel-match alert per indicator and entity per this period
 * @param retroHuntLookback how far back a new indicator is hunted; zero: never
 * @param travel whether impossible travel is detected (it needs GeoIP locations)
 * @param travelMaxSpeedKmh speed over which a journey is impossible
 * @param travelMinDistanceKm journeys shorter than this never alert
 * @param firstSeenRetention how long a value stays known to first-seen rules after it was last seen
 */
public record ContextConfig(List<Path> intel, List<Path> geoip, Path assets, Path identities,
                            Duration intelSuppression, Duration retroHuntLookback, boolean travel,
                            double travelMaxSpeedKmh, double travelMinDistanceKm, Duration firstSeenRetention) {

    public static final Duration DEFAULT_INTEL_SUPPRESSION = Duration.ofHours(1);
    public static final Duration DEFAULT_RETRO_HUNT_LOOKBACK = Duration.ofDays(30);
    public static final double DEFAULT_TRAVEL_MAX_SPEED_KMH = 900;
    public static final double DEFAULT_TRAVEL_MIN_DISTANCE_KM = 500;
    public static final Duration DEFAULT_FIRST_SEEN_RETENTION = Duration.ofDays(30);

    /** No tables; the context detections with their default parameters. */
    public static final ContextConfig DEFAULTS = new ContextConfig(List.of(), List.of(), null, null,
            DEFAULT_INTEL_SUPPRESSION, DEFAULT_RETRO_HUNT_LOOKBACK, true, DEFAULT_TRAVEL_MAX_SPEED_KMH,
            DEFAULT_TRAVEL_MIN_DISTANCE_KM, DEFAULT_FIRST_SEEN_RETENTION);

    public ContextConfig {
        intel = List.copyOf(intel);
        geoip = List.copyOf(geoip);
        Objects.requireNonNull(intelSuppression, "intelSuppression");
        Objects.requireNonNull(retroHuntLookback, "retroHuntLookback");
        Objects.requireNonNull(firstSeenRetention, "firstSeenRetention");
        if (intelSuppression.isNegative() || retroHuntLookback.isNegative() || firstSeenRetention.isNegative()) {
            throw new IllegalArgumentException("context durations are zero or more");
        }
        if (!(travelMaxSpeedKmh >= ImpossibleTravel.MIN_SPEED_KMH) || Double.isInfinite(travelMaxSpeedKmh)
                || !(travelMinDistanceKm >= 0)) {
            throw new IllegalArgumentException("detection.impossible-travel: max-speed-kmh must be at least "
                    + ImpossibleTravel.MIN_SPEED_KMH + " km/h (a smaller one keeps each user's last sign-in for weeks) "
                    + "and min-distance-km 0 km or more, got " + travelMaxSpeedKmh + " km/h and "
                    + travelMinDistanceKm + " km");
        }
    }

    /** This configuration with more files ({@code --intel}, {@code --geoip}: a flag adds) and tables ({@code --assets}, {@code --identities}: a flag replaces). */
    public ContextConfig withFiles(List<Path> moreIntel, List<Path> moreGeoip, Path assetsFile, Path identitiesFile) {
        List<Path> i = new ArrayList<>(intel);
        i.addAll(moreIntel);
        List<Path> g = new ArrayList<>(geoip);
        g.addAll(moreGeoip);
        return new ContextConfig(i, g, assetsFile != null ? assetsFile : assets,
                identitiesFile != null ? identitiesFile : identities, intelSuppression, retroHuntLookback, travel,
                travelMaxSpeedKmh, travelMinDistanceKm, firstSeenRetention);
    }

    /** Whether any table is configured. */
    public boolean hasTables() {
        return !intel.isEmpty() || !geoip.isEmpty() || assets != null || identities != null;
    }
}
