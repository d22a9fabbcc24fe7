package io.vigil.jobs.io;

import io.vigil.connectors.elasticsearch.BulkDocument;
import io.vigil.connectors.elasticsearch.DeadLetterRejectedHandler;
import io.vigil.connectors.elasticsearch.ElasticsearchFallback;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ElasticsearchFallback} of {@code vigil replay --es}: each document Elasticsearch did
 * not store becomes a {@link io.vigil.model.DeadLetter#ELASTICSEARCH} dead letter, one JSON line in
 * a local file. The replay runs on one machine in one JVM, where the writers of several sinks
 * append to the same file: each flush appends its lines in one write under a lock per file, so
 * lines never interleave.
 */
public final class NdjsonFileFallback implements ElasticsearchFallback {

    private static final long serialVersionUID = 1L;
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final String path;

    private transient Path file;
    private transient StringBuilder lines;

    public NdjsonFileFallback(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("the file fallback needs a path");
        }
        this.path = path;
    }

    @Override
    public void open() throws IOException {
        file = Path.of(path).toAbsolutePath().normalize();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        lines = new StringBuilder();
    }

    @Override
    public void send(BulkDocument document, String reason) {
        lines.append(EcsJson.write(DeadLetterRejectedHandler.letter(document, reason, Integer.MAX_VALUE))).append('\n');
    }

    @Override
    public void flush() throws IOException {
        if (lines.length() == 0) {
            return;
        }
        synchronized (LOCKS.computeIfAbsent(file, f -> new Object())) {
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        lines.setLength(0);
    }

    @Override
    public void close() {
        // nothing open between flushes; lines not flushed belong to a send that did not complete
    }

    @Override
    public String describe() {
        return "file " + path;
    }
}
