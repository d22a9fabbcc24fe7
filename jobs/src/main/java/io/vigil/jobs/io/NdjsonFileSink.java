package io.vigil.jobs.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Sink V2 writing one line per element to a single local file ({@code events.ndjson},
 * {@code dead-letters.ndjson}) for the forensic replay, which runs on one machine. The file is
 * created (or truncated) when the writer starts and flushed on every checkpoint and at the end.
 * One file has one writer: the job must run this sink with parallelism 1, and the writer
 * refuses to start otherwise rather than interleave two writers in one file.
 */
public final class NdjsonFileSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /** Writer buffer size; lines are written through it and flushed on checkpoints. */
    public static final int DEFAULT_BUFFER_BYTES = 256 * 1024;

    private final String path;
    private final LineEncoder<T> encoder;
    private final int bufferBytes;

    private NdjsonFileSink(String path, LineEncoder<T> encoder, int bufferBytes) {
        this.path = path;
        this.encoder = encoder;
        this.bufferBytes = bufferBytes;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        if (parallelism != 1) {
            throw new IllegalStateException("NdjsonFileSink writes one file and must run with parallelism 1, not "
                    + parallelism + " (call setParallelism(1) on the sink)");
        }
        Path file = Paths.get(path);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return new Writer<>(new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                StandardCharsets.UTF_8), bufferBytes), encoder);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final BufferedWriter out;
        private final LineEncoder<T> encoder;

        Writer(BufferedWriter out, LineEncoder<T> encoder) {
            this.out = out;
            this.encoder = encoder;
        }

        @Override
        public void write(T element, Context context) throws IOException {
            String line = encoder.encode(element);
            if (line != null) {
                out.write(line);
                out.write('\n');
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    public static final class Builder<T> {
        private String path;
        private LineEncoder<T> encoder;
        private int bufferBytes = DEFAULT_BUFFER_BYTES;

        private Builder() {}

        /** The file to write; its directory is created when missing. */
        public Builder<T> path(String path) {
            this.path = path;
            return this;
        }

        public Builder<T> encoder(LineEncoder<T> encoder) {
            this.encoder = encoder;
            return this;
        }

        public Builder<T> bufferBytes(int bufferBytes) {
            this.bufferBytes = bufferBytes;
            return this;
        }

        public NdjsonFileSink<T> build() {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("NdjsonFileSink needs path(...): the file to write");
            }
            Objects.requireNonNull(encoder, "NdjsonFileSink needs encoder(...): how an element becomes one line");
            if (bufferBytes < 1024) {
                throw new IllegalArgumentException("bufferBytes must be at least 1024, got " + bufferBytes);
            }
            return new NdjsonFileSink<>(path, encoder, bufferBytes);
        }
    }
}
