package io.vigil.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink Sink V2 writing documents to Elasticsearch with the bulk API. It knows nothing of what
 * it writes: a {@link DocumentMapper} gives each element's index, id and JSON source.
 *
 * <p>Guarantees: every operation is an {@code index} with an explicit id, so a replay after a
 * restore overwrites the same documents (exactly-once documents over at-least-once delivery).
 * {@link SinkWriter#flush(boolean)}, called on every checkpoint and at the end of input, sends
 * everything buffered and waits for Elasticsearch's answer, so a checkpoint completes only when
 * the documents before it are stored. Between checkpoints the buffer is sent when it holds
 * {@link Builder#maxActions(int)} documents or {@link Builder#maxBytes(long)} bytes (synchronously:
 * a full buffer blocks {@code write()}, which is Flink backpressure, never dropping), and at the
 * latest {@link Builder#flushInterval(Duration)} after the last send, by a processing-time timer
 * that fires even when no more records arrive.
 *
 * <p>Failures: a whole request failing on a connection error, 429 or 5xx, and single items
 * failing with 429 or 5xx, are retried with exponential backoff (without limit by default, each
 * retry logged at WARN with its cause). Items refused for other reasons (400
 * {@code document_parsing_exception}, …) go to the {@link RejectedDocumentHandler}; by default they
 * become dead letters in {@code vigil-dead-letters-YYYY.MM.DD}.
 *
 * <p>Metrics on the writer's group: {@value #METRIC_DOCS_WRITTEN}, {@value #METRIC_RETRIES},
 * {@value #METRIC_REJECTED}, plus Flink's standard {@code numRecordsSend}.
 */
public final class ElasticsearchSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_ACTIONS = 1000;
    public static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    /** {@link Builder#maxRetries(int)} value meaning: retry until it works. */
    public static final int UNLIMITED_RETRIES = -1;
    public static final int DEFAULT_MAX_RETRIES = UNLIMITED_RETRIES;

    public static final String METRIC_DOCS_WRITTEN = "elasticsearchDocsWritten";
    public static final String METRIC_RETRIES = "elasticsearchRetries";
    public static final String METRIC_REJECTED = "elasticsearchRejected";

    /** Bytes counted per operation on top of its source (action line, index, id). */
    private static final int OPERATION_OVERHEAD_BYTES = 64;

    private final ElasticsearchConnection connection;
    private final DocumentMapper<T> mapper;
    private final RejectedDocumentHandler rejectedHandler;
    private final int maxActions;
    private final long maxBytes;
    private final long flushIntervalMs;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final int maxRetries;

    private ElasticsearchSink(Builder<T> b) {
        this.connection = b.connection;
        this.mapper = b.mapper;
        this.rejectedHandler = b.rejectedHandler;
        this.maxActions = b.maxActions;
        this.maxBytes = b.maxBytes;
        this.flushIntervalMs = b.flushInterval.toMillis();
        this.initialBackoffMs = b.initialBackoff.toMillis();
        this.maxBackoffMs = b.maxBackoff.toMillis();
        this.maxRetries = b.maxRetries;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(this, connection.client(), context.getProcessingTimeService(), context.metricGroup());
    }

    /** The writer: a buffer of operations sent by size, by time and on every flush. */
    static final class Writer<T> implements SinkWriter<T> {

        private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSink.class);

        private final ElasticsearchSink<T> sink;
        private final ElasticsearchClient client;
        private final ProcessingTimeService time;
        private final Counter docsWritten;
        private final Counter retries;
        private final Counter rejected;
        private final Counter recordsSend;

        private List<Op> buffer = new ArrayList<>();
        private long bufferedBytes;
        private long lastSendMs;
        private boolean closed;

        Writer(ElasticsearchSink<T> sink, ElasticsearchClient client, ProcessingTimeService time,
                SinkWriterMetricGroup metrics) {
            this.sink = sink;
            this.client = client;
            this.time = time;
            this.docsWritten = metrics.counter(METRIC_DOCS_WRITTEN);
            this.retries = metrics.counter(METRIC_RETRIES);
            this.rejected = metrics.counter(METRIC_REJECTED);
            this.recordsSend = metrics.getNumRecordsSendCounter();
            this.lastSendMs = time.getCurrentProcessingTime();
            scheduleTimer(lastSendMs + sink.flushIntervalMs);
        }

        private void scheduleTimer(long at) {
            time.registerTimer(at, this::onTimer);
        }

        /** Runs in the task's mailbox thread, like {@code write()}: no locking needed. */
        private void onTimer(long now) throws IOException {
            if (closed) {
                return;
            }
            long due = lastSendMs + sink.flushIntervalMs;
            if (!buffer.isEmpty() && now >= due) {
                send();
            }
            long next = buffer.isEmpty() ? now + sink.flushIntervalMs : lastSendMs + sink.flushIntervalMs;
            scheduleTimer(Math.max(next, time.getCurrentProcessingTime() + 1));
        }

        @Override
        public void write(T element, Context context) throws IOException {
            BulkDocument doc = new BulkDocument(
                    Objects.requireNonNull(sink.mapper.index(element), "DocumentMapper.index returned null"),
                    Objects.requireNonNull(sink.mapper.id(element), "DocumentMapper.id returned null"),
                    Objects.requireNonNull(sink.mapper.source(element), "DocumentMapper.source returned null"),
                    sink.mapper.upsert(element));
            add(new Op(doc, false));
            if (buffer.size() >= sink.maxActions || bufferedBytes >= sink.maxBytes) {
                send();
            }
        }

        private void add(Op op) {
            buffer.add(op);
            bufferedBytes += op.bytes();
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            send();
        }

        /** Sends the whole buffer and returns when every document is stored or handed to the handler. */
        private void send() throws IOException {
            lastSendMs = time.getCurrentProcessingTime();
            if (buffer.isEmpty()) {
                return;
            }
            List<Op> pending = buffer;
            buffer = new ArrayList<>();
            bufferedBytes = 0;
            int attempt = 0;
            while (!pending.isEmpty()) {
                BulkResponse response;
                try {
                    response = client.bulk(request(pending));
                } catch (ElasticsearchException e) {
                    if (!retryable(e.status())) {
                        throw new IOException("Elasticsearch refused a bulk request of " + pending.size()
                                + " documents with status " + e.status() + ": " + e.getMessage(), e);
                    }
                    attempt = backoff(attempt, "bulk request of " + pending.size() + " documents failed with status "
                            + e.status() + ": " + e.getMessage());
                    continue;
                } catch (TransportException e) {
                    if (e.statusCode() > 0 && !retryable(e.statusCode())) {
                        throw new IOException("Elasticsearch bulk request of " + pending.size()
                                + " documents failed with HTTP " + e.statusCode() + ": " + e.getMessage(), e);
                    }
                    attempt = backoff(attempt, "bulk request of " + pending.size() + " documents failed: " + e);
                    continue;
                } catch (InterruptedIOException e) {
                    throw e;
                } catch (IOException e) {
                    attempt = backoff(attempt, "bulk request of " + pending.size()
                            + " documents failed (Elasticsearch unreachable?): " + e);
                    continue;
                }
                pending = handle(pending, response);
                if (!pending.isEmpty()) {
                    long retryingItems = pending.stream().filter(op -> op.retry).count();
                    if (retryingItems > 0) {
                        attempt = backoff(attempt, retryingItems + " documents were refused with a retryable status ("
                                + pending.stream().filter(op -> op.retry).findFirst().map(op -> op.lastError)
                                        .orElse("") + ")");
                    }
                }
            }
            lastSendMs = time.getCurrentProcessingTime();
        }

        private BulkRequest request(List<Op> ops) {
            BulkRequest.Builder b = new BulkRequest.Builder();
            for (Op op : ops) {
                if (op.doc.upsert() != null) {
                    JsonData partial = JsonData.fromJson(op.doc.sourceText());
                    JsonData whole = JsonData.fromJson(new String(op.doc.upsert(), StandardCharsets.UTF_8));
                    b.operations(BulkOperation.of(o -> o.update(u -> u.index(op.doc.index()).id(op.doc.id())
                            .action(a -> a.doc(partial).upsert(whole)))));
                    continue;
                }
                BinaryData data = BinaryData.of(op.doc.source(), ContentType.APPLICATION_JSON);
                b.operations(BulkOperation.of(o -> o.index(i -> i.index(op.doc.index()).id(op.doc.id()).document(data))));
            }
            return b.build();
        }

        /**
         * Counts what was stored and returns what must be sent again: items refused with a
         * retryable status, and the replacements (dead letters) for items refused for good.
         */
        private List<Op> handle(List<Op> sent, BulkResponse response) throws IOException {
            List<BulkResponseItem> items = response.items();
            if (items.size() != sent.size()) {
                throw new IOException("Elasticsearch answered " + items.size() + " items for a bulk request of "
                        + sent.size());
            }
            List<Op> again = new ArrayList<>();
            Instant now = Instant.ofEpochMilli(time.getCurrentProcessingTime());
            for (int i = 0; i < items.size(); i++) {
                BulkResponseItem item = items.get(i);
                Op op = sent.get(i);
                ErrorCause error = item.error();
                if (error == null) {
                    docsWritten.inc();
                    recordsSend.inc();
                    continue;
                }
                String type = error.type();
                String reason = error.reason() == null ? "" : error.reason();
                if (retryable(item.status())) {
                    op.retry = true;
                    op.lastError = item.status() + " " + type + ": " + reason;
                    again.add(op);
                    continue;
                }
                rejected.inc();
                if (op.replacement) {
                    LOG.error("Elasticsearch refused the dead letter {} ({} {}: {}); it is not retried. Source: {}",
                            op.doc, item.status(), type, reason, op.doc.sourceText());
                    continue;
                }
                LOG.warn("Elasticsearch refused document {} ({} {}: {}); handing it to {}",
                        op.doc, item.status(), type, reason, sink.rejectedHandler.getClass().getSimpleName());
                BulkDocument replacement = sink.rejectedHandler.handle(
                        new RejectedDocumentHandler.Rejection(op.doc, item.status(), type, reason, now));
                if (replacement != null) {
                    again.add(new Op(replacement, true));
                }
            }
            return again;
        }

        private static boolean retryable(int status) {
            return status == 429 || status >= 500;
        }

        /** Sleeps before the next attempt and returns the next attempt number; fails past the limit. */
        private int backoff(int attempt, String cause) throws IOException {
            if (sink.maxRetries != UNLIMITED_RETRIES && attempt >= sink.maxRetries) {
                throw new IOException("Elasticsearch " + sink.connection.urls() + ": giving up after " + attempt
                        + " retries: " + cause);
            }
            long delay = Math.min(sink.maxBackoffMs, sink.initialBackoffMs << Math.min(attempt, 30));
            retries.inc();
            LOG.warn("Elasticsearch {}: {}; retry {} in {} ms", sink.connection.urls(), cause, attempt + 1, delay);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to retry Elasticsearch: " + cause);
            }
            return attempt + 1;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            client.close();
        }
    }

    /** One buffered operation. */
    private static final class Op {
        final BulkDocument doc;
        /** A handler's replacement (dead letter): never handed to the handler again. */
        final boolean replacement;
        boolean retry;
        String lastError;

        Op(BulkDocument doc, boolean replacement) {
            this.doc = doc;
            this.replacement = replacement;
        }

        long bytes() {
            return doc.source().length + (doc.upsert() == null ? 0 : doc.upsert().length) + doc.index().length()
                    + doc.id().length() + OPERATION_OVERHEAD_BYTES;
        }
    }

    public static final class Builder<T> {
        private ElasticsearchConnection connection;
        private DocumentMapper<T> mapper;
        private RejectedDocumentHandler rejectedHandler = new DeadLetterRejectedHandler();
        private int maxActions = DEFAULT_MAX_ACTIONS;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private int maxRetries = DEFAULT_MAX_RETRIES;

        private Builder() {}

        /** Where to write (required). */
        public Builder<T> connection(ElasticsearchConnection connection) {
            this.connection = connection;
            return this;
        }

        /** Index, id and source of each element (required). */
        public Builder<T> mapper(DocumentMapper<T> mapper) {
            this.mapper = mapper;
            return this;
        }

        /** What becomes of documents refused for good (default: dead letters, {@link DeadLetterRejectedHandler}). */
        public Builder<T> rejectedHandler(RejectedDocumentHandler rejectedHandler) {
            this.rejectedHandler = rejectedHandler;
            return this;
        }

        /** Documents per bulk request (default {@value ElasticsearchSink#DEFAULT_MAX_ACTIONS}). */
        public Builder<T> maxActions(int maxActions) {
            this.maxActions = maxActions;
            return this;
        }

        /** Bytes per bulk request, roughly (default 5 MB). */
        public Builder<T> maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** Longest time a document waits in the buffer (default 1 s). */
        public Builder<T> flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /** First retry delay, doubled on every retry up to {@link #maxBackoff(Duration)} (default 100 ms). */
        public Builder<T> initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        /** Longest retry delay (default 5 s). */
        public Builder<T> maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** Retries of one send before the writer fails (and the job restarts); default unlimited. */
        public Builder<T> maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public ElasticsearchSink<T> build() {
            if (connection == null) {
                throw new IllegalArgumentException("ElasticsearchSink needs connection(...): "
                        + "e.g. ElasticsearchConnection.of(\"http://127.0.0.1:9200\")");
            }
            if (mapper == null) {
                throw new IllegalArgumentException("ElasticsearchSink needs mapper(...): "
                        + "a DocumentMapper giving each element's index, id and JSON source");
            }
            if (rejectedHandler == null) {
                throw new IllegalArgumentException("rejectedHandler must not be null: refused documents must go "
                        + "somewhere (the default writes dead letters)");
            }
            if (maxActions < 1) {
                throw new IllegalArgumentException("maxActions must be at least 1, got " + maxActions);
            }
            if (maxBytes < 1024) {
                throw new IllegalArgumentException("maxBytes must be at least 1024, got " + maxBytes);
            }
            positive("flushInterval", flushInterval);
            positive("initialBackoff", initialBackoff);
            positive("maxBackoff", maxBackoff);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be below initialBackoff ("
                        + initialBackoff + ")");
            }
            if (maxRetries < 0 && maxRetries != UNLIMITED_RETRIES) {
                throw new IllegalArgumentException("maxRetries must be >= 0 or UNLIMITED_RETRIES (-1), got "
                        + maxRetries);
            }
            return new ElasticsearchSink<>(this);
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero() || d.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms, got " + d);
            }
        }
    }
}
