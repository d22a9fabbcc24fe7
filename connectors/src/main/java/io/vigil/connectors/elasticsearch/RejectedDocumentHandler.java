package io.vigil.connectors.elasticsearch;

import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;

/**
 * What {@link ElasticsearchSink} does with a document Elasticsearch refused for a reason that
 * retrying cannot fix (a 4xx item status such as {@code document_parsing_exception}). Nothing may
 * be lost: the handler returns a document to index in its place (a dead letter, see
 * {@link DeadLetterRejectedHandler}, the default), or keeps it somewhere else and returns {@code null}.
 */
public interface RejectedDocumentHandler extends Serializable {

    /**
     * @return the document to index instead (sent with the same retries; if it is refused too,
     *     the sink logs it at ERROR and does not ask again), or {@code null}
     */
    BulkDocument handle(Rejection rejection) throws IOException;

    /**
     * A refused document and Elasticsearch's answer.
     *
     * @param document what was sent
     * @param status the item's HTTP status (400, 409, …)
     * @param errorType Elasticsearch's error type ({@code document_parsing_exception})
     * @param reason Elasticsearch's reason text
     * @param time when the sink saw the refusal
     */
    record Rejection(BulkDocument document, int status, String errorType, String reason, Instant time) {

        /** {@code type: reason}, as a dead letter carries it. */
        public String describe() {
            return errorType + ": " + reason;
        }
    }
}
