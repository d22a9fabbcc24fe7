package io.vigil.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One saved object Kibana did not import: its type, id and title, the kind of error
 * ({@code conflict}, {@code missing_references}, {@code unsupported_type}, {@code unknown}, ...),
 * Kibana's message when it gave one, and the references it could not resolve.
 */
public record ImportError(String type, String id, String title, String errorType, String message,
        List<String> missingReferences) {

    public ImportError {
        missingReferences = List.copyOf(missingReferences);
    }

    static ImportError parse(JsonNode error) {
        JsonNode detail = error.path("error");
        List<String> missing = new ArrayList<>();
        for (JsonNode reference : detail.path("references")) {
            missing.add(reference.path("type").asText("?") + " " + reference.path("id").asText("?"));
        }
        String title = error.hasNonNull("title") ? error.path("title").asText() : error.path("meta").path("title").asText("");
        return new ImportError(error.path("type").asText("?"), error.path("id").asText("?"), title,
                detail.path("type").asText("unknown"), detail.path("message").asText(""), missing);
    }

    /** One line: {@code lens vigil-top-rules (Top rules): missing_references index-pattern vigil-alerts}. */
    public String describe() {
        StringBuilder line = new StringBuilder(type).append(' ').append(id);
        if (!title.isEmpty()) {
            line.append(" (").append(title).append(')');
        }
        line.append(": ").append(errorType);
        if (!message.isEmpty()) {
            line.append(": ").append(message);
        }
        if (!missingReferences.isEmpty()) {
            line.append(' ').append(String.join(", ", missingReferences));
        }
        return line.toString();
    }
}
