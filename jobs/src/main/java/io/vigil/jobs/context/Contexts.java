package io.vigil.jobs.context;

import io.vigil.context.ContextSource;
import io.vigil.context.assets.AssetsSource;
import io.vigil.context.geo.GeoIpSource;
import io.vigil.context.intel.IntelSource;
import io.vigil.context.travel.ImpossibleTravel;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the context stage from its configuration: the sources every task opens, and the context
 * detections. One method per kind of context, so each stays in one place.
 */
public final class Contexts {

    private Contexts() {}

    /**
     * The context stage of {@code config}, with live tables from {@code feed} ({@code null}: the files
     * only); {@code detect}: whether the job detects (the context detections are added only then).
     */
    public static ContextSettings settings(ContextConfig config, ContextFeed feed, boolean detect) {
        List<ContextSource> sources = new ArrayList<>();
        List<ContextAlerts> alerts = new ArrayList<>();
        geo(config, sources, alerts, detect);
        intel(config, feed, sources, alerts, detect);
        assets(config, sources, alerts, detect);
        firstSeen(config, sources, alerts, detect);
        return new ContextSettings(sources, feed, alerts);
    }

    /** GeoIP ({@code *.geo.*}, {@code *.as.*}) and impossible travel. Geo comes first: travel reads its fields. */
    static void geo(ContextConfig config, List<ContextSource> sources, List<ContextAlerts> alerts, boolean detect) {
        if (config.geoip().isEmpty()) {
            return;
        }
        sources.add(new GeoIpSource(config.geoip()));
        if (config.travel() && detect) {
            alerts.add(new ImpossibleTravelAlerts(
                    new ImpossibleTravel(config.travelMaxSpeedKmh(), config.travelMinDistanceKm())));
        }
    }

    /**
     * Threat intelligence: indicators matched on every event, and the threat-intel-match alerts. The
     * part is there when feed files are configured, and also when a context feed is, so live feeds
     * have a part to land in.
     */
    static void intel(ContextConfig config, ContextFeed feed, List<ContextSource> sources, List<ContextAlerts> alerts,
                      boolean detect) {
        if (config.intel().isEmpty() && feed == null) {
            return;
        }
        sources.add(new IntelSource(config.intel()));
        if (detect) {
            alerts.add(new IntelAlerts(config.intelSuppression()));
        }
    }

    /** Assets and identities: fields on events and alerts, and the alerts' risk score. */
    static void assets(ContextConfig config, List<ContextSource> sources, List<ContextAlerts> alerts, boolean detect) {
        if (config.assets() != null || config.identities() != null) {
            sources.add(new AssetsSource(config.assets(), config.identities()));
        }
    }

    /** First-seen (new terms) rules. */
    static void firstSeen(ContextConfig config, List<ContextSource> sources, List<ContextAlerts> alerts,
                          boolean detect) {
    }
}
