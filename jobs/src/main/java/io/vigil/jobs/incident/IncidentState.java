package io.vigil.jobs.incident;

import java.util.ArrayList;
import java.util.List;

/**
 * An incident while it is open for new alerts: what the stream knows of it. A POJO for Flink
 * state; lists are kept sorted (tactics in kill-chain order) so that documents are deterministic.
 */
public class IncidentState {
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
    /** The linking keys that point at this incident, to unlink them when it expires. */
    public List<String> keys = new ArrayList<>();
    /** The alerts it holds, so that an alert emitted again updates it instead of counting twice. */
    public List<String> alertIds = new ArrayList<>();

    public IncidentState() {}
}
