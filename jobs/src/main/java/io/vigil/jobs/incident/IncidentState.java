package io.vigil.jobs.incident;

import java.util.ArrayList;
import java.util.List;

/**
 * An incident while it is open for new alerts: what the stream knows of it. A POJO for Flink
 * state; lists are kept sorted (tactics in kill-chain order) so that documents are deterministic.
 *
 * <p>What one incident keeps is bounded: entity lists at {@code Incident.MAX_ENTITIES}, the
 * linking keys and alert ids it lists at {@link #MAX_LISTED_KEYS} and {@link #MAX_LISTED_ALERTS}.
 * Counts stay exact. A key or alert beyond the cap still points at the incident in the store's
 * indexes, but the incident cannot forget it when it expires: the state TTL of those indexes does.
 */
public class IncidentState {

    /** Linking keys an incident lists, to unlink them when it expires. */
    public static final int MAX_LISTED_KEYS = 200;
    /** Alert ids an incident lists, to forget them when it expires. */
    public static final int MAX_LISTED_ALERTS = 200;

    public String id;
    public long firstSeen;
    public long lastSeen;
    public List<String> users = new ArrayList<>();
    public List<String> targetUsers = new ArrayList<>();
    public List<String> hosts = new ArrayList<>();
    public List<String> sourceIps = new ArrayList<>();
    public long alertCount;
    public List<String> ruleIds = new ArrayList<>();
    public List<String> tacticIds = new ArrayList<>();
    public int maxRisk;
    public String maxSeverity;
    public String mergedInto;
    public long version;
    /** The linking keys that point at this incident, to unlink them when it expires (at most {@link #MAX_LISTED_KEYS}). */
    public List<String> keys = new ArrayList<>();
    /**
     * The alerts it holds, so that an alert emitted again updates it instead of counting twice
     * (at most {@link #MAX_LISTED_ALERTS}; the alert index knows them all).
     */
    public List<String> alertIds = new ArrayList<>();

    /**
     * Whether analysts closed it, as the stream learnt when a later alert came: it takes no new
     * alert, which go to an incident that continues it.
     */
    public boolean closed;
    /** Closed incidents this one continues (at most {@code Incident.MAX_LINKED}). */
    public List<String> linkedTo = new ArrayList<>();

    public IncidentState() {}
}
