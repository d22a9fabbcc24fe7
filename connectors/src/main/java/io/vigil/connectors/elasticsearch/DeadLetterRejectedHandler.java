package io.vigil.connectors.elasticsearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.Ids;
import io.vigil.model.Origin;
import java.nio.charset.StandardCharsets;

/**
 * The default {@link RejectedDocumentHandler}: a refused document becomes a dead letter in
 * {@code vigil-dead-letters-YYYY.MM.DD} (day of the refusal, UTC) carrying the refused source as
 * {@code raw}, {@code decoder: elasticsearch}, Elasticsearch's error type and reason, and
 * {@code vigil.origin} naming the target index. Its id is a hash of the target index and the
 * document id, so a replay of the same refusal overwrites the same dead letter.
 */
public final class DeadLetterRejectedHandler implements RejectedDocumentHandler {

    private static final long serialVersionUID = 1L;

    /** The {@code decoder} and the origin {@code kind} of these dead letters. */
    public static final String DECODER = "elasticsearch";

    private final String indexPrefix;

    public DeadLetterRejectedHandler() {
        this(IndexTemplates.DEAD_LETTERS);
    }

    /** Dead letters go into daily indices {@code <indexPrefix>-YYYY.MM.DD}. */
    public DeadLetterRejectedHandler(String indexPrefix) {
        if (indexPrefix == null || indexPrefix.isBlank()) {
            throw new IllegalArgumentException("dead-letter index prefix must not be blank");
        }
        this.indexPrefix = indexPrefix;
    }

    @Override
    public BulkDocument handle(Rejection r) {
        BulkDocument doc = r.document();
        String text = DeadLetter.strictUtf8(doc.source());
        DeadLetter letter = text != null
                ? new DeadLetter(text, DeadLetter.UTF_8, doc.source().length, origin(doc), DECODER, r.describe(),
                        DeadLetter.ELASTICSEARCH, null)
                : new DeadLetter(java.util.Base64.getEncoder().encodeToString(doc.source()), DeadLetter.BASE64,
                        doc.source().length, origin(doc), DECODER, r.describe(), DeadLetter.ELASTICSEARCH, null);
        ObjectNode tree = EcsJson.toTree(letter);
        tree.put(EcsJson.TIMESTAMP, r.time().toString());
        byte[] source = EcsJson.toJson(tree).getBytes(StandardCharsets.UTF_8);
        return new BulkDocument(IndexTemplates.dailyIndex(indexPrefix, r.time()), idOf(doc), source);
    }

    private static Origin origin(BulkDocument doc) {
        return new Origin(DECODER, doc.index(), null, 0);
    }

    /** The dead letter's id for a refused document: derived from its target index and id. */
    public static String idOf(BulkDocument doc) {
        return Ids.of(doc.index(), doc.id());
    }
}
