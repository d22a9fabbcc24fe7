package io.vigil.jobs.incident;

import io.vigil.model.Incident;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClosedIncidents} from a {@link IncidentStatusSource.Reader}, at a bounded cost: a status
 * read is trusted for {@code ttl} (at most {@link #MAX_ENTRIES} incidents remembered), and when a
 * read fails the incident counts as open and no read is tried for {@code ttl}, so an unreachable
 * Elasticsearch costs one timeout per {@code ttl}, not one per alert. Every incident taken as open
 * for want of an answer is counted ({@link #assumedOpen}).
 */
public final class CachedIncidentStatus implements ClosedIncidents {

    private static final Logger LOG = LoggerFactory.getLogger(CachedIncidentStatus.class);

    /** Incidents whose status is remembered at once. */
    public static final int MAX_ENTRIES = 10_000;

    private record Entry(long readAt, Closed closed) {}

    private final IncidentStatusSource.Reader reader;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private boolean quiet;
    private long quietSince;
    private long reads;
    private long failures;
    private long assumedOpen;

    /** @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}) */
    public CachedIncidentStatus(IncidentStatusSource.Reader reader, Duration ttl, LongSupplier nanoClock) {
        this.reader = reader;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public Closed closed(String incidentId) {
        long now = nanoClock.getAsLong();
        Entry known = cache.get(incidentId);
        if (known != null && now - known.readAt() < ttlNanos) {
            return known.closed();
        }
        if (quiet && now - quietSince < ttlNanos) {
            assumedOpen++;
            return null;
        }
        quiet = false;
        reads++;
        try {
            IncidentStatusSource.Status s = reader.read(incidentId);
            Closed closed = s != null && Incident.CLOSED.equals(s.status()) ? new Closed(incidentId, s.lastSeen()) : null;
            cache.put(incidentId, new Entry(now, closed));
            return closed;
        } catch (Exception e) {
            failures++;
            assumedOpen++;
            quiet = true;
            quietSince = now;
            // once per quiet period, not per alert
            LOG.warn("Cannot read the status of incident {} ({}): incidents count as open for {} ms", incidentId,
                    e.toString(), ttlNanos / 1_000_000);
            return null;
        }
    }

    /** Status reads tried. */
    public long reads() {
        return reads;
    }

    /** Status reads that failed. */
    public long failures() {
        return failures;
    }

    /** Times an incident counted as open because its status could not be read. */
    public long assumedOpen() {
        return assumedOpen;
    }
}
