package io.vigil.cli.kibana;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Vigil's Kibana saved objects: data views for alerts, incidents, timelines and webhook
 * deliveries, the Lens visualizations, the webhook deliveries search and the SOC dashboard. The file is kept once, in {@code deploy/kibana/}, and the
 * build copies it next to this class so the command line and the job jar carry it.
 */
public final class VigilSavedObjects {

    /** The file name, also the name of the part Kibana's import API receives. */
    public static final String FILE_NAME = "vigil-saved-objects.ndjson";

    /** The id of the SOC dashboard. */
    public static final String DASHBOARD_ID = "vigil-soc";

    private VigilSavedObjects() {}

    /** The bytes of the packaged ndjson file. */
    public static byte[] ndjson() {
        try (InputStream in = VigilSavedObjects.class.getResourceAsStream(FILE_NAME)) {
            if (in == null) {
                throw new IllegalStateException("resource " + FILE_NAME + " is missing from the classpath; "
                        + "the build copies it from deploy/kibana");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many saved objects {@code ndjson} holds: its non-blank lines. */
    public static int count(byte[] ndjson) {
        return (int) new String(ndjson, java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(line -> !line.isBlank())
                .count();
    }
}
