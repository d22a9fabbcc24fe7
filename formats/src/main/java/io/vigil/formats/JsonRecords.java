package io.vigil.formats;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.vigil.model.EcsJson;

/**
 * Reads one JSON value per record for the JSON decoders of this package, turning every parse
 * problem into a reason that names the position (so a dead letter says where the JSON broke).
 */
final class JsonRecords {

    /** Trailing content after the value ("{…} junk", two objects on a line) is an error, not ignored. */
    private static final ObjectReader READER =
            EcsJson.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonRecords() {}

    /** The parsed value, or a failure reason in {@code error[0]}. */
    static JsonNode parse(String text, String[] error) {
        if (text.isBlank()) {
            error[0] = "empty record: expected a JSON object";
            return null;
        }
        try {
            JsonNode node = READER.readTree(text);
            if (node == null || node.isMissingNode()) {
                error[0] = "empty record: expected a JSON object";
                return null;
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()
                    + " (char " + at.getCharOffset() + ")";
            error[0] = "invalid JSON" + where + ": " + firstLine(e.getOriginalMessage());
            return null;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
