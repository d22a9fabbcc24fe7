package io.vigil.jobs.incident;

/**
 * Where the assembler keeps open incidents and its two indexes: Flink keyed state in the stream,
 * plain maps in tests.
 */
public interface IncidentStore {

    IncidentState incident(String id) throws Exception;

    void put(IncidentState incident) throws Exception;

    void remove(String id) throws Exception;

    /** Every open incident (for expiry). */
    Iterable<IncidentState> incidents() throws Exception;

    /** The incident an entity key ({@code source.ip=203.0.113.5}) belongs to, or {@code null}. */
    String incidentOfKey(String key) throws Exception;

    void link(String key, String incidentId) throws Exception;

    void unlink(String key) throws Exception;

    /** The incident that holds alert {@code alertId}, or {@code null}. */
    String incidentOfAlert(String alertId) throws Exception;

    void alertAssigned(String alertId, String incidentId) throws Exception;

    void alertForgotten(String alertId) throws Exception;

    /** A store on hash maps. */
    static IncidentStore inMemory() {
        return new IncidentStore() {
            private final java.util.Map<String, IncidentState> incidents = new java.util.TreeMap<>();
            private final java.util.Map<String, String> keys = new java.util.HashMap<>();
            private final java.util.Map<String, String> alerts = new java.util.HashMap<>();

            @Override
            public IncidentState incident(String id) {
                return incidents.get(id);
            }

            @Override
            public void put(IncidentState incident) {
                incidents.put(incident.id, incident);
            }

            @Override
            public void remove(String id) {
                incidents.remove(id);
            }

            @Override
            public Iterable<IncidentState> incidents() {
                return new java.util.ArrayList<>(incidents.values());
            }

            @Override
            public String incidentOfKey(String key) {
                return keys.get(key);
            }

            @Override
            public void link(String key, String incidentId) {
                keys.put(key, incidentId);
            }

            @Override
            public void unlink(String key) {
                keys.remove(key);
            }

            @Override
            public String incidentOfAlert(String alertId) {
                return alerts.get(alertId);
            }

            @Override
            public void alertAssigned(String alertId, String incidentId) {
                alerts.put(alertId, incidentId);
            }

            @Override
            public void alertForgotten(String alertId) {
                alerts.remove(alertId);
            }
        };
    }
}
