package io.vigil.formats.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines as bytes from a stream, never holding more than {@code maxBytes} of one line:
 * the rest of a longer line is read and discarded, and its full length is reported so the
 * record can be dead-lettered as over the limit. Accepts LF and CRLF endings and a last line
 * without a terminator.
 */
public final class LineReader {

    /** One line: its bytes (a prefix when {@code length > bytes.length}), number and full length. */
    public record Line(byte[] bytes, long number, long length) {
        public boolean truncated() {
            return length > bytes.length;
        }

        public boolean isBlank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            return !truncated();
        }
    }

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[BUFFER];
    private int pos;
    private int limit;
    private boolean eof;
    private long lineNumber;
    private long bytesRead;
    private byte[] line = new byte[256];

    public LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** Bytes consumed so far, terminators included. */
    public long bytesRead() {
        return bytesRead;
    }

    /** The next line, or {@code null} at the end of the stream. */
    public Line next() throws IOException {
        int kept = 0;
        long length = 0;
        boolean sawAny = false;
        while (true) {
            if (pos >= limit) {
                if (!fill()) {
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            int start = pos;
            int nl = -1;
            for (int i = pos; i < limit; i++) {
                if (buffer[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl >= 0 ? nl : limit;
            int chunk = end - start;
            int room = maxBytes - kept;
            if (room > 0) {
                int copy = Math.min(room, chunk);
                ensure(kept + copy);
                System.arraycopy(buffer, start, line, kept, copy);
                kept += copy;
            }
            length += chunk;
            bytesRead += chunk;
            pos = end;
            if (nl >= 0) {
                pos = nl + 1;
                bytesRead++;
                break;
            }
        }
        lineNumber++;
        // strip the CR of a CRLF ending (an over-long line keeps only its length, CR or not)
        if (length > 0 && length == kept && line[kept - 1] == '\r') {
            kept--;
            length--;
        }
        return new Line(Arrays.copyOf(line, kept), lineNumber, length);
    }

    private void ensure(int size) {
        if (size > line.length) {
            line = Arrays.copyOf(line, Math.max(size, Math.min(maxBytes, line.length * 2)));
        }
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            eof = n < 0;
            if (n == 0) {
                // a stream that returns 0 is treated as blocking-in-progress: read again
                return fill();
            }
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
