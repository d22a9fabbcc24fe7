package io.vigil.rules.sigma;

/**
 * Where a value comes from in a Vigil event: a field by its dotted ECS name, and optionally a
 * path into that field's text read as JSON (CloudTrail keeps {@code requestParameters} as JSON
 * text in {@code aws.cloudtrail.request_parameters}).
 *
 * @param field the Vigil field
 * @param jsonPath dot-separated keys into the field's JSON, or null to take the text itself
 */
record FieldSource(String field, String jsonPath) {

    /** Parses {@code field} or {@code field#json.path}, the form mapping files use. */
    static FieldSource parse(String text) {
        int hash = text.indexOf('#');
        return hash < 0 ? new FieldSource(text.trim(), null)
                : new FieldSource(text.substring(0, hash).trim(),
                        text.substring(hash + 1).isBlank() ? null : text.substring(hash + 1).trim());
    }

    @Override
    public String toString() {
        return jsonPath == null ? field : field + "#" + jsonPath;
    }
}
