package io.vigil.formats.input;

import io.vigil.formats.Formats;
import io.vigil.formats.evtx.EvtxReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Chooses how to frame a stream: by line, or as a streamed JSON document. */
public final class Framers {

    /** How much of a stream is looked at to choose framing and detect the format. */
    public static final int PEEK_BYTES = 16 * 1024;

    private Framers() {}

    /**
     * A framer for {@code in}.
     *
     * @param format the format, or {@code null} to detect it from the first bytes
     * @throws UnknownFormatException when {@code format} is null and detection fails
     */
    public static RecordFramer open(InputStream in, String source, String format, Instant referenceTime, int maxBytes)
            throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, PEEK_BYTES);
        byte[] head = peek(buffered);
        if ((format == null || Formats.WINDOWS.equals(format) || Formats.EVTX.equals(format)) && EvtxReader.isEvtx(head)) {
            // a Windows event log file, recognized by its signature whatever its name
            return new EvtxFramer(buffered, source, referenceTime, maxBytes);
        }
        if (Formats.EVTX.equals(format)) {
            in.close();
            throw new IOException(source + " is not a Windows event log file (no ElfFile signature): "
                    + "--format evtx reads only .evtx files");
        }
        if ((format == null || Formats.WINDOWS.equals(format)) && EvtxRecordLines.startsWithOne(head)) {
            // evtx_dump's default JSON output: "Record <id>" before each pretty-printed document
            buffered = new BufferedInputStream(new EvtxRecordLines(buffered), PEEK_BYTES);
            head = peek(buffered);
        }
        String resolved = format != null ? format : FormatDetector.detect(head);
        if (resolved == null) {
            in.close();
            throw new UnknownFormatException(source);
        }
        if (isJsonDocument(resolved, head)) {
            return new JsonDocumentFramer(buffered, source, resolved, referenceTime, maxBytes);
        }
        return new LineFramer(buffered, source, resolved, referenceTime, maxBytes);
    }

    /** The first bytes of a stream, leaving it where it was. */
    public static byte[] peek(BufferedInputStream in) throws IOException {
        in.mark(PEEK_BYTES);
        byte[] head = in.readNBytes(PEEK_BYTES);
        in.reset();
        return head;
    }

    /**
     * Whether a JSON-format stream is a document to stream rather than one record per line: a
     * top-level array, a {@code {"Records":[…]}} object, or a first line that is not a whole value.
     */
    static boolean isJsonDocument(String format, byte[] head) {
        if (!Formats.WINDOWS.equals(format) && !Formats.CLOUDTRAIL.equals(format) && !Formats.ECS.equals(format)) {
            return false;
        }
        String text = new String(head, StandardCharsets.UTF_8).stripLeading();
        if (text.startsWith("[")) {
            return true;
        }
        if (!text.startsWith("{")) {
            return false;
        }
        if (text.replaceAll("\\s", "").startsWith("{\"Records\":")) {
            return true;
        }
        int nl = text.indexOf('\n');
        if (nl < 0) {
            return false;
        }
        String firstLine = text.substring(0, nl).strip();
        return !firstLine.endsWith("}");
    }

    /** Thrown when a stream's format can be neither read from the options nor detected. */
    public static final class UnknownFormatException extends IOException {
        public UnknownFormatException(String source) {
            super("cannot detect the format of " + source + "; pass --format with one of " + Formats.ALL);
        }
    }

}
