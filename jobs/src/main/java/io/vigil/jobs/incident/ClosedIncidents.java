package io.vigil.jobs.incident;

/**
 * What incident assembly learns of the analysts' work: whether an incident was closed, and how
 * far its alerts went when it was. Implementations fail open: an incident whose status cannot be
 * learnt counts as open.
 */
@FunctionalInterface
public interface ClosedIncidents {

    /** The incident as analysts closed it, or {@code null} when it is open or its status unknown. */
    Closed closed(String incidentId);

    /**
     * A closed incident.
     *
     * @param lastSeen the last-seen time (epoch ms) its document had: alerts up to then were in it
     *     when it was closed (a replay of them is no news)
     */
    record Closed(String id, long lastSeen) {}

    /** Nothing known of analysts (a replay without Elasticsearch): every incident is open. */
    ClosedIncidents NONE = id -> null;
}
