package io.vigil.jobs.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@link VigilOptions#METRICS_PROMETHEUS_PORT} accepts: a port, or a range {@code low-high}. */
public final class PrometheusPorts {

    private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    private PrometheusPorts() {}

    /** Whether {@code value} is a port or an ascending range of ports, each from 1 to 65535. */
    public static boolean valid(String value) {
        Matcher m = PORTS.matcher(value.strip());
        if (!m.matches()) {
            return false;
        }
        int low = Integer.parseInt(m.group(1));
        int high = m.group(2) == null ? low : Integer.parseInt(m.group(2));
        return low >= 1 && high <= 65535 && low <= high;
    }
}
