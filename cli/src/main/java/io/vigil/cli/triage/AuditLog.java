package io.vigil.cli.triage;

import io.vigil.connectors.elasticsearch.PathSegment;
import io.vigil.model.EcsJson;
import java.io.IOException;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The append-only audit log of analysts' actions. Entries are only ever created
 * ({@code PUT /vigil-audit-YYYY.MM.DD/_create/ID}): Elasticsearch refuses to write an id twice,
 * so an entry is never overwritten, and analysts' roles need only the {@code create_doc} privilege
 * on {@code vigil-audit-*} (no update, no delete).
 */
final class AuditLog {

    private final RestClient rest;

    AuditLog(RestClient rest) {
        this.rest = rest;
    }

    /**
     * Writes {@code entry}, create-only. No refresh is waited for: the entry is durable when
     * Elasticsearch acknowledges it, and nobody reads the log in the same command.
     *
     * @throws IncidentTriage.TriageException when the log already holds an entry with this id
     */
    void append(AuditEntry entry) throws IOException, IncidentTriage.TriageException {
        Request put = new Request("PUT", "/" + entry.index() + "/_create/" + PathSegment.encode(entry.id()));
        put.setJsonEntity(EcsJson.toJson(entry.document()));
        try {
            rest.performRequest(put);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 409) {
                throw new IncidentTriage.TriageException("the audit log already holds entry " + entry.id() + " ("
                        + entry.action().word + " of incident " + entry.incidentId() + " by " + entry.actor().name()
                        + " at " + entry.timestamp() + "): it is never overwritten");
            }
            throw e;
        }
    }
}
