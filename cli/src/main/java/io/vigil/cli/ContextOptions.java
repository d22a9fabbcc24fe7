package io.vigil.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The context tables of {@code vigil replay} and {@code vigil run} (docs/context.md). */
public final class ContextOptions {

    @Option(names = "--intel", paramLabel = "FILE",
            description = "Threat intelligence to match every event against: a STIX 2.1 bundle, a MISP event (JSON) or "
                    + "a CSV file (type,value,…). Repeatable; adds to enrich.intel.")
    List<Path> intel = new ArrayList<>();

    @Option(names = "--geoip", paramLabel = "FILE",
            description = "A MaxMind DB format file (.mmdb: city or country, or ASN) for source.geo.*, "
                    + "destination.geo.* and *.as.*. Repeatable; adds to enrich.geoip.")
    List<Path> geoip = new ArrayList<>();

    @Option(names = "--assets", paramLabel = "FILE",
            description = "Table of hosts (CSV or JSON: name, criticality, owner, environment, zone). Replaces enrich.assets.")
    Path assets;

    @Option(names = "--identities", paramLabel = "FILE",
            description = "Table of identities (CSV or JSON: user name, privileged, service account, department). "
                    + "Replaces enrich.identities.")
    Path identities;

    /** Whether any flag was given. */
    boolean given() {
        return !intel.isEmpty() || !geoip.isEmpty() || assets != null || identities != null;
    }
}
