package io.vigil.jobs.context;

import io.vigil.context.ContextSource;
import io.vigil.context.assets.AssetsSource;
import io.vigil.context.geo.GeoIpSource;
import io.vigil.context.intel.IntelSource;
import io.vigil.context.travel.ImpossibleTravel;
import io.vigil.rules.firstseen.FirstSeenRule;
import io.vigil.rules.firstseen.FirstSeenRules;
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
        assets(config, feed, sources, alerts, detect);
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

    /**
     * Assets and identities: fields on events and alerts, and the alerts' risk score. As intel, the
     * part is there with a context feed even without files, so live tables have a part to land in.
     */
    static void assets(ContextConfig config, ContextFeed feed, List<ContextSource> sources, List<ContextAlerts> alerts,
                       boolean detect) {
        if (config.assets() != null || config.identities() != null || feed != null) {
            sources.add(new AssetsSource(config.assets(), config.identities()));
        }
    }

    /**
     * First-seen (new terms) rules: the packaged ones, a rule without a retention of its own taking
     * {@code detection.first-seen.retention}. They read the enriched events (a new country needs
     * GeoIP) and add no table.
     */
    static void firstSeen(ContextConfig config, List<ContextSource> sources, List<ContextAlerts> alerts,
                          boolean detect) {
        if (!detect) {
            return;
        }
        long retention = config.firstSeenRetention().toMillis();
        if (retention <= 0) {
            return; // zero retention: nothing would be remembered, so first-seen is off
        }
        List<FirstSeenRule> rules = new ArrayList<>();
        for (FirstSeenRule r : FirstSeenRules.packaged()) {
            rules.add(r.withDefaultRetention(retention));
        }
        if (!rules.isEmpty()) {
            alerts.add(new FirstSeenAlerts(rules));
        }
    }
}
