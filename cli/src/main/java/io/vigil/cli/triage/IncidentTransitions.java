package io.vigil.cli.triage;

import io.vigil.model.Incident;

/**
 * The states an incident goes through in analysts' hands: open → acknowledged → closed (or open →
 * closed). Open and acknowledged incidents can be assigned; a closed incident stays closed (an
 * attacker who comes back opens a new incident linked to it), so nothing is acknowledged, assigned
 * or closed again after close. There is no reopen action.
 */
final class IncidentTransitions {

    private IncidentTransitions() {}

    /**
     * The status an incident in {@code status} has after {@code action}.
     *
     * @throws IncidentTriage.TriageException when the action is not allowed in that status
     */
    static String after(IncidentTriage.Action action, String status, String id) throws IncidentTriage.TriageException {
        if (!Incident.STATUSES.contains(status)) {
            throw new IncidentTriage.TriageException("incident " + id + " has no known status ('" + status
                    + "'), so no action can be taken on it");
        }
        if (Incident.CLOSED.equals(status)) {
            throw new IncidentTriage.TriageException(switch (action) {
                case CLOSE -> "incident " + id + " is already closed";
                case ACK -> "incident " + id + " is closed: it cannot be acknowledged";
                case ASSIGN -> "incident " + id + " is closed: it cannot be assigned";
            } + " (a closed incident stays closed; new alerts on its entities open a new incident linked to it)");
        }
        return switch (action) {
            case ACK -> {
                if (Incident.ACKNOWLEDGED.equals(status)) {
                    throw new IncidentTriage.TriageException("incident " + id + " is already acknowledged");
                }
                yield Incident.ACKNOWLEDGED;
            }
            case ASSIGN -> status;
            case CLOSE -> Incident.CLOSED;
        };
    }
}
