package io.vigil.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the YAML documents ({@code ---}-separated) of a Sigma file as trees. */
final class SigmaYaml {

    /** Top-level key of a document holding log source mappings. */
    static final String LOGSOURCES = "vigil-logsources";
    /** Top-level key of a document holding placeholder values for {@code expand}. */
    static final String PLACEHOLDERS = "vigil-placeholders";
    /** Top-level key of the document {@code RuleSource.loadSigma} adds for licensed files. */
    static final String LICENSES = "vigil-licenses";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SigmaYaml() {}

    /** The non-empty documents of {@code text}; a YAML error is a problem of the whole file. */
    static List<JsonNode> documents(String text) throws SigmaException {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw SigmaException.problem("not valid YAML: " + msg.lines().findFirst().orElse(msg));
        }
        return out;
    }
}
