package io.vigil.formats.input;

import io.vigil.formats.Formats;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One record per non-blank line. For Zeek logs, {@code #} lines are not records: they form the
 * header handed to every following row ({@link RawRecord#header()}), and a new header block
 * (a log rotated into the same file) replaces the previous one.
 */
public final class LineFramer implements RecordFramer {

    private final LineReader reader;
    private final InputStream in;
    private final String source;
    private final String format;
    private final Instant referenceTime;
    private final boolean zeek;
    private final List<String> headerLines = new ArrayList<>();
    private boolean headerOpen;
    private String header;
    private long skipped;

    public LineFramer(InputStream in, String source, String format, Instant referenceTime, int maxBytes) {
        this.in = in;
        this.reader = new LineReader(in, maxBytes);
        this.source = source;
        this.format = format;
        this.referenceTime = referenceTime;
        this.zeek = Formats.ZEEK.equals(format);
    }

    @Override
    public RawRecord next() throws IOException {
        LineReader.Line line;
        while ((line = reader.next()) != null) {
            if (line.isBlank()) {
                skipped++;
                continue;
            }
            byte[] bytes = line.bytes();
            if (zeek && bytes.length > 0 && bytes[0] == '#') {
                headerLine(new String(bytes, StandardCharsets.UTF_8));
                skipped++;
                continue;
            }
            headerOpen = false;
            long truncatedFrom = line.truncated() ? line.length() : -1;
            return new RawRecord(bytes, Origin.file(source, line.number()), format, header, referenceTime, truncatedFrom);
        }
        return null;
    }

    private void headerLine(String text) {
        if (text.startsWith("#close")) {
            return;
        }
        if (!headerOpen) {
            // the first header line after data rows starts a new block
            headerLines.clear();
            headerOpen = true;
        }
        headerLines.add(text);
        header = String.join("\n", headerLines);
    }

    @Override
    public long skipped() {
        return skipped;
    }

    @Override
    public long bytesRead() {
        return reader.bytesRead();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
