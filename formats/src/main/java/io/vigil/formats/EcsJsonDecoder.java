package io.vigil.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;

/**
 * ECS JSON documents (one per record), passed through {@link EcsJson#read}: the fields Vigil
 * models land in their components, other names of Vigil's catalog of extra fields in
 * {@code fields}, the rest is dropped with a tag (a document's names never reach a mapping). The record's own origin replaces any {@code vigil.origin} in the document.
 * {@code event.original} is the document's when it has one, otherwise the record text.
 */
public final class EcsJsonDecoder implements Decoder {

    public EcsJsonDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.ECS;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        String text = RecordUtf8.strict(record.bytes());
        if (text == null) {
            return DecodeResult.failure("ECS document is not valid UTF-8");
        }
        text = RecordUtf8.stripLineEnd(text);
        String[] error = new String[1];
        JsonNode doc = JsonRecords.parse(text, error);
        if (doc == null) {
            return DecodeResult.failure("ECS document: " + error[0]);
        }
        if (!doc.isObject()) {
            return DecodeResult.failure("ECS document: expected a JSON object, found " + doc.getNodeType());
        }
        SecurityEvent event;
        try {
            event = EcsJson.read(doc, record.origin());
        } catch (IllegalArgumentException e) {
            // missing or malformed @timestamp, a non-numeric port, too many fields…
            return DecodeResult.failure("ECS document: " + e.getMessage());
        }
        if (event.eventOriginal() == null) {
            event = event.toBuilder().eventOriginal(text).build();
        }
        return DecodeResult.of(event);
    }
}
