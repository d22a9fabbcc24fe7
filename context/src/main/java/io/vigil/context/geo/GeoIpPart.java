package io.vigil.context.geo;

import io.vigil.context.ContextPart;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * GeoIP: {@code source.geo.*}, {@code source.as.*} and the same of {@code destination} from one or
 * more MaxMind DB format files (a city or country file and an AS file together: for each field the
 * first file that knows it wins). Private and special-purpose addresses get nothing
 * ({@link PublicAddress}). An alert gets the geo of its {@code source.ip}, so dashboards can map
 * alerts. Cost per event: one tree walk and one decode per address and file.
 */
public final class GeoIpPart implements ContextPart {

    private final List<GeoIpDatabase> databases;

    GeoIpPart(List<GeoIpDatabase> databases) {
        this.databases = List.copyOf(databases);
    }

    @Override
    public void enrich(SecurityEvent event, Map<String, String> fields) {
        add(event.sourceIp(), "source", fields);
        add(event.destinationIp(), "destination", fields);
    }

    /**
     * The geo and AS groups of {@code source} and {@code destination} are GeoIP's only: a value the
     * input carries is dropped, so an input cannot forge or hide a place (impossible travel trusts
     * {@code source.geo.location}), nor mix its country with the database's city.
     */
    @Override
    public boolean replaces(String name) {
        return name.startsWith("source.geo.") || name.startsWith("source.as.")
                || name.startsWith("destination.geo.") || name.startsWith("destination.as.");
    }

    @Override
    public void enrich(Alert alert, Map<String, String> fields) {
        add(alert.entities().get("source.ip"), "source", fields);
    }

    private void add(String ip, String prefix, Map<String, String> fields) {
        InetAddress address = PublicAddress.parse(ip);
        if (address == null || !PublicAddress.isPublic(address)) {
            return;
        }
        for (GeoIpDatabase db : databases) {
            if (address instanceof Inet6Address && !db.hasIpv6()) {
                continue;
            }
            Map<?, ?> record = db.lookup(address);
            if (record != null) {
                GeoRecord.addTo(record, prefix, fields);
            }
        }
    }
}
