package io.vigil.jobs.incident;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the assembler keeps open incidents and its three indexes (entity key to incident, alert
 * to incident, closing time to incidents): Flink keyed state in the stream, plain maps in tests.
 * Every operation is a point read or write, so an alert costs a bounded number of them however
 * many incidents are open.
 */
public interface IncidentStore {

    IncidentState incident(String id) throws Exception;

    void put(IncidentState incident) throws Exception;

    void remove(String id) throws Exception;

    /** The incident an entity key ({@code source.ip=203.0.113.5}) belongs to, or {@code null}. */
    String incidentOfKey(String key) throws Exception;

    void link(String key, String incidentId) throws Exception;

    void unlink(String key) throws Exception;

    /** The incident that holds alert {@code alertId}, or {@code null}. */
    String incidentOfAlert(String alertId) throws Exception;

    void alertAssigned(String alertId, String incidentId) throws Exception;

    void alertForgotten(String alertId) throws Exception;

    /** Files incident {@code incidentId} under the time {@code at} it closes for new alerts. */
    void closesAt(long at, String incidentId) throws Exception;

    /** Takes incident {@code incidentId} out of the incidents closing at {@code at}. */
    void notClosingAt(long at, String incidentId) throws Exception;

    /** Removes and returns the incidents filed as closing at {@code at} (none: an empty list). */
    List<String> takeClosingAt(long at) throws Exception;

    /** A store on hash maps. */
    static IncidentStore inMemory() {
        return new IncidentStore() {
            private final Map<String, IncidentState> incidents = new HashMap<>();
            private final Map<String, String> keys = new HashMap<>();
            private final Map<String, String> alerts = new HashMap<>();
            private final Map<Long, List<String>> closing = new HashMap<>();

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

            @Override
            public void closesAt(long at, String incidentId) {
                List<String> ids = closing.computeIfAbsent(at, t -> new ArrayList<>(1));
                if (!ids.contains(incidentId)) {
                    ids.add(incidentId);
                }
            }

            @Override
            public void notClosingAt(long at, String incidentId) {
                List<String> ids = closing.get(at);
                if (ids != null && ids.remove(incidentId) && ids.isEmpty()) {
                    closing.remove(at);
                }
            }

            @Override
            public List<String> takeClosingAt(long at) {
                List<String> ids = closing.remove(at);
                return ids == null ? List.of() : ids;
            }
        };
    }
}
