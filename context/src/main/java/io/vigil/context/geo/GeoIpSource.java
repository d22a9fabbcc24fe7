package io.vigil.context.geo;

import io.vigil.context.ContextPart;
import io.vigil.context.ContextSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** GeoIP from MaxMind DB format files ({@code --geoip}, {@code enrich.geoip}), opened on each task. */
public final class GeoIpSource implements ContextSource {

    private static final long serialVersionUID = 1L;

    /** The files in the order given: for each field the first that knows it wins. Text: a Path is not serializable. */
    private final List<String> files;

    public GeoIpSource(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("geoip: no database file");
        }
        List<String> names = new ArrayList<>();
        for (Path p : files) {
            names.add(p.toString());
        }
        this.files = List.copyOf(names);
    }

    @Override
    public String describe() {
        return "geoip: " + String.join(", ", files);
    }

    @Override
    public ContextPart open() throws IOException {
        List<GeoIpDatabase> databases = new ArrayList<>();
        for (String f : files) {
            databases.add(GeoIpDatabase.open(f));
        }
        return new GeoIpPart(databases);
    }
}
