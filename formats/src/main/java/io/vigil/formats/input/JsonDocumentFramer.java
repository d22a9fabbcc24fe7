package io.vigil.formats.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Streams the records of a JSON document that is not one record per line: a top-level array of
 * records, a CloudTrail {@code {"Records":[…]}} object (pretty-printed or on one huge line), or
 * several pretty-printed objects one after another. Each record is re-serialized compactly as
 * its {@link RawRecord} and numbered from 1 in the document; nothing is held but one record.
 *
 * <p>A syntax error ends the document: what follows cannot be framed, so it becomes one record
 * that fails decoding with the parser's message (nothing is dropped silently).
 */
public final class JsonDocumentFramer implements RecordFramer {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(1000).build())
            .build();

    private final InputStream in;
    private final CountingInputStream counting;
    private final JsonParser parser;
    private final String source;
    private final String format;
    private final Instant referenceTime;
    private final int maxBytes;
    private long number;
    private boolean inArray;
    private boolean done;

    public JsonDocumentFramer(InputStream in, String source, String format, Instant referenceTime, int maxBytes)
            throws IOException {
        this.in = in;
        this.counting = new CountingInputStream(in);
        this.parser = FACTORY.createParser(counting);
        this.source = source;
        this.format = format;
        this.referenceTime = referenceTime;
        this.maxBytes = maxBytes;
    }

    @Override
    public RawRecord next() throws IOException {
        if (done) {
            return null;
        }
        try {
            JsonToken token = parser.nextToken();
            while (true) {
                if (token == null) {
                    done = true;
                    return null;
                }
                if (inArray && token == JsonToken.END_ARRAY) {
                    inArray = false;
                    token = parser.nextToken();
                    // the rest of a {"Records":[…]} object after the array ends
                    while (token == JsonToken.FIELD_NAME) {
                        parser.nextToken();
                        parser.skipChildren();
                        token = parser.nextToken();
                    }
                    if (token == JsonToken.END_OBJECT) {
                        token = parser.nextToken();
                    }
                    continue;
                }
                if (!inArray && token == JsonToken.START_ARRAY) {
                    inArray = true;
                    token = parser.nextToken();
                    continue;
                }
                if (!inArray && token == JsonToken.START_OBJECT) {
                    JsonToken first = parser.nextToken();
                    if (first == JsonToken.FIELD_NAME && "Records".equals(parser.currentName())) {
                        if (parser.nextToken() == JsonToken.START_ARRAY) {
                            inArray = true;
                            token = parser.nextToken();
                            continue;
                        }
                    }
                    // an ordinary object: copy it from its first field on
                    return record(copyObjectFrom(first));
                }
                return record(copyValue());
            }
        } catch (JsonProcessingException e) {
            done = true;
            String rest = "unparseable JSON after record " + number + ": " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
            byte[] bytes = rest.getBytes(StandardCharsets.UTF_8);
            // an invalid document is one record the decoder refuses, carrying the parser's message
            return new RawRecord(bytes, Origin.file(source, ++number), format, null, referenceTime, -1);
        }
    }

    private byte[] copyValue() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.copyCurrentStructure(parser);
        }
        return out.toByteArray();
    }

    private byte[] copyObjectFrom(JsonToken first) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.writeStartObject();
            JsonToken t = first;
            while (t == JsonToken.FIELD_NAME) {
                gen.writeFieldName(parser.currentName());
                parser.nextToken();
                gen.copyCurrentStructure(parser);
                t = parser.nextToken();
            }
            gen.writeEndObject();
        }
        return out.toByteArray();
    }

    private RawRecord record(byte[] bytes) {
        number++;
        long truncatedFrom = -1;
        if (bytes.length > maxBytes) {
            truncatedFrom = bytes.length;
            bytes = Arrays.copyOf(bytes, maxBytes);
        }
        return new RawRecord(bytes, Origin.file(source, number), format, null, referenceTime, truncatedFrom);
    }

    @Override
    public long skipped() {
        return 0;
    }

    @Override
    public long bytesRead() {
        return counting.count();
    }

    @Override
    public void close() throws IOException {
        parser.close();
        in.close();
    }

    /** Counts bytes read through it, for progress. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
