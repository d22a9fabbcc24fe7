package io.vigil.connectors.elasticsearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.Ids;
import io.vigil.model.Origin;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

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
        ObjectNode tree = EcsJson.toTree(letter(doc, r.describe(), Integer.MAX_VALUE));
        tree.put(EcsJson.TIMESTAMP, r.time().toString());
        byte[] source = EcsJson.toJson(tree).getBytes(StandardCharsets.UTF_8);
        return new BulkDocument(IndexTemplates.dailyIndex(indexPrefix, r.time()), idOf(doc), source);
    }

    /**
     * The {@link DeadLetter#ELASTICSEARCH} letter of a document Elasticsearch did not store: raw =
     * its source (text when it is UTF-8, else base64), origin = {@code elasticsearch} / its target
     * index, the reason given.
     *
     * @param maxRawBytes the longest prefix of the source kept (cut at a character boundary);
     *     {@code rawBytes} still gives the whole length
     */
    public static DeadLetter letter(BulkDocument doc, String reason, int maxRawBytes) {
        byte[] source = doc.source();
        byte[] kept = source.length <= maxRawBytes ? source : Arrays.copyOf(source, utf8Cut(source, maxRawBytes));
        String text = DeadLetter.strictUtf8(kept);
        return text != null
                ? new DeadLetter(text, DeadLetter.UTF_8, source.length, origin(doc), DECODER, reason,
                        DeadLetter.ELASTICSEARCH, null)
                : new DeadLetter(Base64.getEncoder().encodeToString(kept), DeadLetter.BASE64, source.length,
                        origin(doc), DECODER, reason, DeadLetter.ELASTICSEARCH, null);
    }

    /** The largest length up to {@code max} that does not end inside a UTF-8 sequence. */
    private static int utf8Cut(byte[] bytes, int max) {
        int cut = Math.max(0, max);
        while (cut > 0 && cut < bytes.length && (bytes[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return cut;
    }

    private static Origin origin(BulkDocument doc) {
        return new Origin(DECODER, doc.index(), null, 0);
    }

    /** The dead letter's id for a refused document: derived from its target index and id. */
    public static String idOf(BulkDocument doc) {
        return Ids.of(doc.index(), doc.id());
    }
}
