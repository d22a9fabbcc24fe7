package io.vigil.jobs.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * A range of ports for a test cluster's Prometheus reporter, and the one that serves a given job.
 * A port picked free and closed may be taken by another process before the reporter binds it; a
 * range is race-free: the reporter binds the first free port of it, and the test finds that port by
 * scraping each until one reports its job's id (another cluster in the range reports others).
 */
public final class ReporterPorts {

    /** Ports in the range. */
    static final int SIZE = 20;
    /** A port of the range that does not answer HTTP (another service) is left after this. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final int low;
    private int found = -1;

    private ReporterPorts(int low) {
        this.low = low;
    }

    /** A range starting at a port free now. */
    public static ReporterPorts pick() {
        try (ServerSocket s = new ServerSocket(0)) {
            return new ReporterPorts(Math.min(s.getLocalPort(), 65_535 - SIZE + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The range as {@code metrics.prometheus.port} and Flink's reporter take it, {@code low-high}. */
    public String range() {
        return low + "-" + (low + SIZE - 1);
    }

    /**
     * A scrape of the port that serves the job {@code jobId} (a label {@code job_id} of Flink's
     * metrics), found once and kept; {@code null} while no port of the range reports the job.
     */
    public PrometheusText scrape(String jobId) throws InterruptedException {
        if (found >= 0) {
            try {
                return PrometheusText.scrape(url(found), PrometheusText.TIMEOUT);
            } catch (IOException e) {
                return null;
            }
        }
        for (int port = low; port < low + SIZE; port++) {
            try {
                PrometheusText s = PrometheusText.scrape(url(port), PROBE_TIMEOUT);
                if (s.samples().stream().anyMatch(x -> jobId.equals(x.label("job_id")))) {
                    found = port;
                    return s;
                }
            } catch (IOException | RuntimeException e) {
                // nothing there, or not a reporter (an answer that is not Prometheus' text): the next port
            }
        }
        return null;
    }

    /** The URL of the port found, for messages. */
    public String describe() {
        return found >= 0 ? url(found) : "no port of " + range() + " serving the job yet";
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port + "/metrics";
    }
}
