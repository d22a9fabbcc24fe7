package io.vigil.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** A Sigma log source: product, category, service (each lower-cased, or null when absent). */
record LogSourceKey(String product, String category, String service) {

    static LogSourceKey of(JsonNode logsource) {
        return new LogSourceKey(text(logsource, "product"), text(logsource, "category"), text(logsource, "service"));
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            return null;
        }
        return v.asText().strip().toLowerCase(Locale.ROOT);
    }

    /** The product alone: where product-wide mappings live. */
    LogSourceKey productOnly() {
        return new LogSourceKey(product, null, null);
    }

    boolean isProductOnly() {
        return category == null && service == null;
    }

    /** {@code product/category/service}, empty parts for absent ones. */
    @Override
    public String toString() {
        return (product == null ? "" : product) + "/" + (category == null ? "" : category) + "/"
                + (service == null ? "" : service);
    }
}
