package io.vigil.connectors.elasticsearch;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where {@link ElasticsearchSink} keeps documents that Elasticsearch will not store, outside
 * Elasticsearch, so that a permanent refusal is never only a log line and never a job that
 * restarts on the same data forever: documents of a bulk request refused as a whole after the
 * bounded retries (400, 401, 403, …), a single document larger than the node accepts (413), and
 * every document refused item by item (including refused dead letters).
 *
 * <p>Each writer serializes its own copy and calls {@link #open()} once, {@link #send} for each
 * document, {@link #flush()} before it reports a send complete (so a checkpoint completes only
 * when the fallback holds the documents), and {@link #close()} at the end. A method that throws
 * fails the writer: the fallback is the last place documents can go.
 */
public interface ElasticsearchFallback extends Serializable {

    /** Connects; called once per writer before any {@link #send}. */
    void open() throws IOException;

    /**
     * Hands over one refused document. It may be buffered until {@link #flush()}.
     *
     * @param document the document as it was sent: target index, id and source bytes
     * @param reason why Elasticsearch did not store it: status, error type and reason
     */
    void send(BulkDocument document, String reason) throws IOException;

    /** Returns when every document given to {@link #send} is stored for good, or throws. */
    void flush() throws IOException;

    void close() throws IOException;

    /** A name for logs (e.g. {@code kafka topic vigil.dead-letters}). */
    default String describe() {
        return getClass().getSimpleName();
    }
}
