package io.vigil.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What Kibana's saved objects import answered: {@code success}, {@code successCount} and, when
 * objects failed, {@code errors}.
 */
public record ImportResult(boolean success, int successCount, List<ImportError> errors) {

    public ImportResult {
        errors = List.copyOf(errors);
    }

    /** Reads the response body of {@code POST /api/saved_objects/_import}. */
    static ImportResult parse(JsonNode body) {
        if (!body.isObject() || !body.has("success")) {
            throw new IllegalArgumentException("no 'success' field");
        }
        List<ImportError> errors = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            errors.add(ImportError.parse(error));
        }
        return new ImportResult(body.path("success").asBoolean(false), body.path("successCount").asInt(0), errors);
    }
}
