package io.vigil.connectors.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One document bound for Elasticsearch: target index, explicit id and UTF-8 JSON source.
 *
 * @param index target index
 * @param id document id (index operations with an explicit id overwrite on replay)
 * @param source the document as UTF-8 JSON; with {@code upsert}, the partial document of an update
 * @param upsert the whole document to create when none has the id yet (an update operation), or
 *     {@code null} for an index operation
 */
public record BulkDocument(String index, String id, byte[] source, byte[] upsert) {

    /** An index operation: the document replaces any with the same id. */
    public BulkDocument(String index, String id, byte[] source) {
        this(index, id, source, null);
    }

    public BulkDocument {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
    }

    /** The source as text (for messages and dead letters). */
    public String sourceText() {
        return new String(source, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return index + "/" + id + " (" + (upsert == null ? "" : "upsert, ") + source.length + " bytes)";
    }
}
