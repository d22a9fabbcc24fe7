package io.vigil.connectors.elasticsearch;

import java.io.Serializable;

/**
 * How the job turns an element into an Elasticsearch document for {@link ElasticsearchSink}: the
 * target index, the document id and the JSON source. The id must be deterministic (derived from
 * the element, never from the clock or a counter) so that a replay overwrites documents instead
 * of duplicating them; the index must come from configuration and the element's own trusted
 * fields (a day of its event time), never from log content (docs/architecture.md, invariant 6).
 */
public interface DocumentMapper<T> extends Serializable {

    /** The index to write {@code element} into, e.g. {@code vigil-alerts-2024.03.09}. */
    String index(T element);

    /** The document id; the same element always gives the same id. */
    String id(T element);

    /** The document as UTF-8 JSON. */
    byte[] source(T element);

    /**
     * For partial updates: the whole document to create when no document has the id yet. Then
     * {@link #source} is the partial document merged into an existing one (an update with
     * {@code doc} and {@code upsert}, no scripts), so fields it leaves out keep their value.
     * {@code null} (the default) for plain index operations.
     */
    default byte[] upsert(T element) {
        return null;
    }
}
