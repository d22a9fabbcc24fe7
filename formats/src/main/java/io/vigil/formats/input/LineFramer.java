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
 * (a log rotated into the same file) replaces the previous one. Before any header block, the
 * header is the {@code #path} the file's name gives ({@code conn.log}, {@code
 * conn.2025-08-20-15-23-42.log.gz}: {@code conn}), the only place a Zeek JSON log written by
 * {@code LogAscii::use_json=T} names its log.
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
        this.header = zeek ? pathOfFileName(source) : null;
    }

    /**
     * {@code #path\t<log>} from a file name: its base name up to the first dot, when that is a
     * plain log name (a letter, then letters, digits, {@code _} or {@code -}); otherwise {@code null}. (It becomes a dataset name only if Vigil knows the log.)
     */
    static String pathOfFileName(String source) {
        if (source == null) {
            return null;
        }
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        String base = source.substring(slash + 1);
        int dot = base.indexOf('.');
        String log = dot < 0 ? base : base.substring(0, dot);
        if (log.isEmpty() || log.length() > 64 || !Character.isLetter(log.charAt(0))) {
            return null; // "-" is standard input
        }
        for (int i = 0; i < log.length(); i++) {
            char c = log.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return null;
            }
        }
        return "#path\t" + log;
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
