package io.vigil.formats.input;

import java.io.IOException;
import java.io.InputStream;

/**
 * Drops the {@code Record <id>} lines evtx_dump prints before each document of its default JSON
 * output ({@code evtx_dump -o json} without {@code --dont-show-record-number}), leaving the
 * pretty-printed documents one after another, as {@link JsonDocumentFramer} reads them.
 *
 * <p>Only a whole line that is exactly {@code Record}, a space and up to 20 digits is dropped: a
 * line of pretty-printed JSON never is one (JSON strings cannot hold a raw line break, so such a
 * line is never inside a value). Memory is one 8 KiB buffer; each line start looks at most
 * {@link #MAX_LINE} bytes ahead.
 */
final class EvtxRecordLines extends InputStream {

    private static final byte[] PREFIX = "Record ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int MAX_DIGITS = 20;
    /** The longest line that can be a record line: prefix, digits, CR, LF. */
    static final int MAX_LINE = PREFIX.length + MAX_DIGITS + 2;

    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;
    private boolean lineStart = true;
    private boolean eof;

    EvtxRecordLines(InputStream in) {
        this.in = in;
    }

    /** Whether {@code head} starts with a record line followed by a JSON object: evtx_dump's default output. */
    static boolean startsWithOne(byte[] head) {
        int nl = indexOf(head, 0, Math.min(head.length, MAX_LINE));
        if (nl < 0 || !isRecordLine(head, 0, nl)) {
            return false;
        }
        for (int i = nl + 1; i < head.length; i++) {
            byte c = head[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c == '{';
            }
        }
        return false;
    }

    /** {@code head} without its first line. */
    static byte[] afterFirstLine(byte[] head) {
        int nl = indexOf(head, 0, head.length);
        return nl < 0 ? new byte[0] : java.util.Arrays.copyOfRange(head, nl + 1, head.length);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (lineStart) {
            dropRecordLines();
        }
        if (pos == limit && !fill()) {
            return -1;
        }
        int n = Math.min(len, limit - pos);
        int nl = indexOf(buf, pos, pos + n);
        if (nl >= 0) {
            n = nl - pos + 1; // stop after the line so that the next one is looked at
            lineStart = true;
        }
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** At a line start: skips every following record line, then leaves the line start. */
    private void dropRecordLines() throws IOException {
        while (true) {
            int nl;
            while ((nl = indexOf(buf, pos, Math.min(limit, pos + MAX_LINE))) < 0 && limit - pos < MAX_LINE && fill()) {
                // read until a line end, MAX_LINE bytes, or the end of input
            }
            if (nl >= 0 && isRecordLine(buf, pos, nl)) {
                pos = nl + 1;
                continue;
            }
            if (nl < 0 && eof && limit > pos && limit - pos < MAX_LINE && isRecordLine(buf, pos, limit)) {
                pos = limit; // a record line ending the input without a line break
            }
            lineStart = false;
            return;
        }
    }

    /** Reads more into the buffer; false at the end of input or when the buffer is full. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            return false;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    private static int indexOf(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code a[from, to)}, a line without its LF, is {@code Record <digits>} (a CR allowed at the end). */
    private static boolean isRecordLine(byte[] a, int from, int to) {
        int end = to > from && a[to - 1] == '\r' ? to - 1 : to;
        int digits = end - from - PREFIX.length;
        if (digits < 1 || digits > MAX_DIGITS) {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (a[from + i] != PREFIX[i]) {
                return false;
            }
        }
        for (int i = from + PREFIX.length; i < end; i++) {
            if (a[i] < '0' || a[i] > '9') {
                return false;
            }
        }
        return true;
    }
}
