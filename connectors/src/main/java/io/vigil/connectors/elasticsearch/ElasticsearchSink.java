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
import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.util.InstantiationUtil;
import org.elasticsearch.client.ResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink Sink V2 writing documents to Elasticsearch with the bulk API. It knows nothing of what
 * it writes: a {@link DocumentMapper} gives each element's index, id and JSON source.
 *
 * <p>Guarantees: every operation is an {@code index} with an explicit id (or, for partial
 * documents, an {@code update} with an upsert and {@code retry_on_conflict}), so a replay after a
 * restore overwrites the same documents (exactly-once documents over at-least-once delivery).
 * {@link SinkWriter#flush(boolean)}, called on every checkpoint and at the end of input, sends
 * everything buffered and waits until each document is stored or handed to the
 * {@link ElasticsearchFallback} (and the fallback has it), so a checkpoint completes only then.
 * Between checkpoints the buffer is sent when it holds {@link Builder#maxActions(int)} documents
 * or {@link Builder#maxBytes(long)} bytes (synchronously: a full buffer blocks {@code write()},
 * which is Flink backpressure, never dropping), and at the latest
 * {@link Builder#flushInterval(Duration)} after the last send, by a processing-time timer that
 * fires even when no more records arrive.
 *
 * <p>Failures, by what retrying can do about them:
 * <ul>
 *   <li>A whole request failing on a connection error, 429 or 5xx, and single items failing
 *       with 429 or 5xx, are an outage or overload: retried with exponential backoff, without
 *       limit by default ({@link Builder#maxRetries(int)}). The job backpressures; nothing is lost.
 *   <li>413 (request too large): the request is sent again in halves, recursively; a single
 *       document still too large goes to the fallback.
 *   <li>Any other whole-request status (400, 401, 403, 404, …) is retried
 *       {@link Builder#refusedRequestRetries(int)} times with backoff, then the request's documents
 *       go to the fallback and the writer goes on with the next ones. A 400 is then first split
 *       in halves, like a 413, so that one malformed document does not take the others with it.
 *   <li>Items refused for other reasons (400 {@code document_parsing_exception}, …) go to the
 *       {@link RejectedDocumentHandler} (by default dead letters in
 *       {@code vigil-dead-letters-YYYY.MM.DD}) and to the fallback too; a refused dead letter
 *       goes to the fallback.
 * </ul>
 * Without a fallback, refused items only become dead letters, and a request refused for good
 * fails the writer (the job restarts): production wiring always gives one.
 *
 * <p>Logs never carry a document's source: index, id, status and Elasticsearch's error type and
 * reason, bounded in length. A failure episode (from the first failed request to the end of a
 * send whose last request succeeded) logs one WARN when it starts, one when documents first go to
 * the fallback, and one INFO when it ends; each retry is at DEBUG. A 413 split logs one WARN per
 * writer, refused items at most one WARN a minute.
 *
 * <p>Metrics on the writer's group: {@value #METRIC_FAILING} (gauge: 1 from a failed request,
 * whether it is being retried or was given up, to the next successful one; a 413 answered by
 * splitting does not count as failing), {@value #METRIC_DOCS_WRITTEN},
 * {@value #METRIC_RETRIES}, {@value #METRIC_REJECTED}, {@value #METRIC_FALLBACK_DOCS},
 * {@value #METRIC_SPLIT_REQUESTS}, plus Flink's standard {@code numRecordsSend}. With
 * {@link Builder#labelledMetrics}, also under {@code <group>/<key>=<value>} (a label naming the
 * sink, so that one dashboard query covers every sink of a job): {@value #METRIC_RETRIES},
 * {@value #METRIC_REFUSALS} (documents refused for good, item by item or as a whole request, which
 * go to the rejected-document handler or the fallback) and the gauge {@value #METRIC_PENDING}
 * (documents buffered or in a bulk request not yet answered: back-pressure from Elasticsearch shows
 * as a number that stays high).
 */
public final class ElasticsearchSink<T> implements Sink<T> {

    /**
     * Characters of an Elasticsearch error reason kept in a log line: its reasons quote the refused
     * values, which come from logs attackers write (escaped by {@link SafeText}).
     */
    static final int MAX_LOGGED_REASON_CHARS = 300;

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_ACTIONS = 1000;
    public static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    /** {@link Builder#maxRetries(int)} value meaning: retry until it works. */
    public static final int UNLIMITED_RETRIES = -1;
    public static final int DEFAULT_MAX_RETRIES = UNLIMITED_RETRIES;
    /**
     * Retries of a request refused as a whole with a status that is not an outage (400, 401, 403,
     * …) before its documents go to the fallback: a few, in case a credential or a privilege is
     * being rotated, never so many that the job stalls on them.
     */
    public static final int DEFAULT_REFUSED_REQUEST_RETRIES = 3;
    /** How often Elasticsearch retries an update that lost a race with another writer of the document. */
    public static final int DEFAULT_RETRY_ON_CONFLICT = 3;

    public static final String METRIC_DOCS_WRITTEN = "elasticsearchDocsWritten";
    public static final String METRIC_RETRIES = "elasticsearchRetries";
    public static final String METRIC_REJECTED = "elasticsearchRejected";
    public static final String METRIC_FAILING = "elasticsearchFailing";
    public static final String METRIC_FALLBACK_DOCS = "elasticsearchFallbackDocs";
    public static final String METRIC_SPLIT_REQUESTS = "elasticsearchSplitRequests";
    public static final String METRIC_REFUSALS = "elasticsearchRefusals";
    public static final String METRIC_PENDING = "elasticsearchPending";

    /** Bytes counted per operation on top of its source (action line, index, id). */
    private static final int OPERATION_OVERHEAD_BYTES = 64;
    /** Characters of Elasticsearch's reason kept in what goes to the fallback. */
    static final int MAX_REASON_CHARS = 2000;
    /** Refused items are logged at WARN at most this often (each at DEBUG). */
    static final long REFUSAL_LOG_INTERVAL_MS = 60_000;

    private final ElasticsearchConnection connection;
    private final DocumentMapper<T> mapper;
    private final RejectedDocumentHandler rejectedHandler;
    private final ElasticsearchFallback fallback;
    private final int maxActions;
    private final long maxBytes;
    private final long flushIntervalMs;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final int maxRetries;
    private final int refusedRequestRetries;
    private final int retryOnConflict;
    /** The labelled metrics' group, label key and value, or nulls. */
    private final String metricGroup;
    private final String metricKey;
    private final String metricValue;

    private ElasticsearchSink(Builder<T> b) {
        this.connection = b.connection;
        this.mapper = b.mapper;
        this.rejectedHandler = b.rejectedHandler;
        this.fallback = b.fallback;
        this.maxActions = b.maxActions;
        this.maxBytes = b.maxBytes;
        this.flushIntervalMs = b.flushInterval.toMillis();
        this.initialBackoffMs = b.initialBackoff.toMillis();
        this.maxBackoffMs = b.maxBackoff.toMillis();
        this.maxRetries = b.maxRetries;
        this.refusedRequestRetries = b.refusedRequestRetries;
        this.retryOnConflict = b.retryOnConflict;
        this.metricGroup = b.metricGroup;
        this.metricKey = b.metricKey;
        this.metricValue = b.metricValue;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The fallback for documents Elasticsearch does not store, or {@code null}. */
    public ElasticsearchFallback fallback() {
        return fallback;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(this, connection.client(), context.getProcessingTimeService(), context.metricGroup());
    }

    /** Why a bulk request failed as a whole: an HTTP status (0 when there was no answer) and a cause. */
    private record Failure(int status, String type, String reason) {

        static Failure unreachable(IOException e) {
            return new Failure(0, "connection", e.toString());
        }

        /** An outage or overload: retried without limit. */
        boolean retryable() {
            return status == 0 || ElasticsearchSink.retryable(status);
        }

        /** A statement about the request's content: smaller requests may pass. */
        boolean splittable() {
            return status == 413 || status == 400;
        }

        /** {@code 401 security_exception: …}, as the fallback gets it. */
        String describe() {
            String text = status > 0 ? status + " " + type + ": " + reason : type + ": " + reason;
            return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "…";
        }

        String forLog() {
            return SafeText.bounded(status > 0 ? "HTTP " + status + " " + type + ": " + reason : reason,
                    MAX_LOGGED_REASON_CHARS);
        }
    }

    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    /** A part of one send: operations that go out in one bulk request, and whether it was split off. */
    private record Batch(List<Op> ops, boolean split) {}

    /** The writer: a buffer of operations sent by size, by time and on every flush. */
    static final class Writer<T> implements SinkWriter<T> {

        private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSink.class);

        private final ElasticsearchSink<T> sink;
        private final ElasticsearchClient client;
        private final ProcessingTimeService time;
        private final ElasticsearchFallback fallback;
        private final Counter docsWritten;
        private final Counter retries;
        private final Counter rejected;
        private final Counter fallbackDocs;
        private final Counter splitRequests;
        private final Counter refused;
        private final Counter recordsSend;
        /** Documents in the buffer (read racily by the metric reporter's thread: a gauge). */
        private int buffered;
        /** Documents of the send under way, not yet stored or handed on. */
        private volatile int inFlight;
        /** Read by the metric reporter's thread. */
        private volatile int failing;

        private List<Op> buffer = new ArrayList<>();
        private long bufferedBytes;
        private long lastSendMs;
        private boolean closed;
        /** Documents were given to the fallback since its last flush. */
        private boolean fallbackUnflushed;

        // the current failure episode: from a failed request to the next successful one
        private boolean inEpisode;
        private long episodeStartMs;
        private long episodeFailedRequests;
        private long episodeFallbackDocs;

        // refused items, logged at WARN at most every REFUSAL_LOG_INTERVAL_MS
        private long lastRefusalLogMs;
        private boolean refusalLogged;
        private long refusalsSinceLog;
        private boolean tooLargeLogged;

        Writer(ElasticsearchSink<T> sink, ElasticsearchClient client, ProcessingTimeService time,
                SinkWriterMetricGroup metrics) throws IOException {
            this.sink = sink;
            this.client = client;
            this.time = time;
            this.fallback = openFallback(sink.fallback);
            this.docsWritten = metrics.counter(METRIC_DOCS_WRITTEN);
            this.retries = metrics.counter(METRIC_RETRIES);
            this.rejected = metrics.counter(METRIC_REJECTED);
            this.fallbackDocs = metrics.counter(METRIC_FALLBACK_DOCS);
            this.splitRequests = metrics.counter(METRIC_SPLIT_REQUESTS);
            this.refused = new SimpleCounter();
            metrics.gauge(METRIC_FAILING, (Gauge<Integer>) () -> failing);
            if (sink.metricGroup != null) {
                MetricGroup labelled = metrics.addGroup(sink.metricGroup).addGroup(sink.metricKey, sink.metricValue);
                labelled.counter(METRIC_RETRIES, retries);
                labelled.counter(METRIC_REFUSALS, refused);
                labelled.gauge(METRIC_PENDING, (Gauge<Integer>) this::pending);
            }
            this.recordsSend = metrics.getNumRecordsSendCounter();
            this.lastSendMs = time.getCurrentProcessingTime();
            scheduleTimer(lastSendMs + sink.flushIntervalMs);
        }

        /** This writer's own copy of the fallback (a sink object may create several writers), opened. */
        private static ElasticsearchFallback openFallback(ElasticsearchFallback configured) throws IOException {
            if (configured == null) {
                return null;
            }
            ElasticsearchFallback own;
            try {
                own = InstantiationUtil.clone(configured);
            } catch (ClassNotFoundException e) {
                throw new IOException("cannot copy the Elasticsearch fallback " + configured.describe(), e);
            }
            own.open();
            return own;
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
            buffered = buffer.size();
            bufferedBytes += op.bytes();
        }

        /** Documents buffered or in flight. */
        int pending() {
            return buffered + inFlight;
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            send();
        }

        /**
         * Sends the whole buffer and returns when every document is stored, replaced by the
         * handler's dead letter, or held by the fallback.
         */
        private void send() throws IOException {
            lastSendMs = time.getCurrentProcessingTime();
            if (buffer.isEmpty()) {
                return;
            }
            Deque<Batch> batches = new ArrayDeque<>();
            batches.push(new Batch(buffer, false));
            inFlight = buffer.size();
            buffer = new ArrayList<>();
            buffered = 0;
            bufferedBytes = 0;
            try {
                while (!batches.isEmpty()) {
                    deliver(batches.pop(), batches);
                }
            } finally {
                inFlight = 0;
            }
            if (fallbackUnflushed) {
                fallback.flush();
                fallbackUnflushed = false;
            }
            if (inEpisode && failing == 0) {
                endEpisode();
            }
            lastSendMs = time.getCurrentProcessingTime();
        }

        /**
         * Sends one batch until each operation is stored or handed on, retrying as its failures
         * call for; a batch split in halves pushes them onto {@code batches} and returns.
         */
        private void deliver(Batch batch, Deque<Batch> batches) throws IOException {
            List<Op> pending = batch.ops();
            int attempt = 0;
            int refusals = 0;
            while (!pending.isEmpty()) {
                BulkResponse response = null;
                Failure failure;
                try {
                    response = client.bulk(request(pending));
                    failure = null;
                } catch (ElasticsearchException e) {
                    ErrorCause error = e.error();
                    failure = new Failure(e.status(), error == null || error.type() == null ? "error" : error.type(),
                            error == null || error.reason() == null ? String.valueOf(e.getMessage()) : error.reason());
                } catch (TransportException e) {
                    failure = e.statusCode() > 0
                            ? new Failure(e.statusCode(), "http_error", String.valueOf(e.getMessage()))
                            : Failure.unreachable(e);
                } catch (ResponseException e) {
                    // statuses the client does not parse as an Elasticsearch error (413, …) arrive as they were
                    failure = new Failure(e.getResponse().getStatusLine().getStatusCode(), "http_error",
                            e.getResponse().getStatusLine().getReasonPhrase());
                } catch (InterruptedIOException e) {
                    throw e;
                } catch (IOException e) {
                    failure = Failure.unreachable(e);
                }
                if (failure == null) {
                    pending = handle(pending, response);
                    List<Op> retrying = pending.stream().filter(op -> op.retry).toList();
                    if (retrying.isEmpty()) {
                        succeeded();
                    } else {
                        String cause = retrying.size() + " documents were refused with a retryable status ("
                                + SafeText.bounded(retrying.get(0).lastError, MAX_LOGGED_REASON_CHARS) + ")";
                        failed(cause);
                        attempt = backoff(attempt, cause);
                    }
                    continue;
                }
                String what = "bulk request of " + pending.size() + " documents (" + bytes(pending) + " bytes)";
                if (failure.retryable()) {
                    String cause = what + " failed: " + failure.forLog()
                            + (failure.status() == 0 ? " (Elasticsearch unreachable?)" : "");
                    failed(cause);
                    attempt = backoff(attempt, cause);
                    continue;
                }
                boolean splitNow = failure.status() == 413
                        || failure.splittable() && (batch.split() || refusals >= sink.refusedRequestRetries);
                if (splitNow && pending.size() > 1) {
                    String cause = what + " was refused with " + failure.forLog() + "; sending it again in halves";
                    if (failure.status() == 413) {
                        tooLarge(cause); // the node's size limit: a matter of batching, not a failing sink
                    } else {
                        failed(cause);
                    }
                    splitRequests.inc();
                    int half = pending.size() / 2;
                    batches.push(new Batch(new ArrayList<>(pending.subList(half, pending.size())), true));
                    batches.push(new Batch(new ArrayList<>(pending.subList(0, half)), true));
                    return;
                }
                if (!splitNow && refusals < sink.refusedRequestRetries) {
                    String cause = what + " was refused with " + failure.forLog() + "; retry " + (refusals + 1)
                            + " of " + sink.refusedRequestRetries + ", then its documents go to "
                            + (fallback == null ? "no fallback (none is configured: the writer fails)"
                                    : fallback.describe());
                    failed(cause);
                    refusals = sleep(refusals, cause);
                    continue;
                }
                failed(what + " was refused for good with " + failure.forLog());
                toFallback(pending, failure);
                return;
            }
        }

        private BulkRequest request(List<Op> ops) {
            BulkRequest.Builder b = new BulkRequest.Builder();
            for (Op op : ops) {
                if (op.doc.upsert() != null) {
                    JsonData partial = JsonData.fromJson(op.doc.sourceText());
                    JsonData whole = JsonData.fromJson(new String(op.doc.upsert(), StandardCharsets.UTF_8));
                    b.operations(BulkOperation.of(o -> o.update(u -> u.index(op.doc.index()).id(op.doc.id())
                            .retryOnConflict(sink.retryOnConflict)
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
                refused.inc();
                logRefusal(op, item.status(), type, reason);
                if (fallback != null) {
                    sendToFallback(op, new Failure(item.status(), type, reason));
                } else if (op.replacement) {
                    LOG.error("Elasticsearch refused the dead letter {} ({} {}: {}) and no fallback is configured:"
                            + " it is not kept anywhere", op.doc, item.status(), type,
                            SafeText.bounded(reason, MAX_LOGGED_REASON_CHARS));
                }
                if (op.replacement) {
                    continue; // a dead letter is not handed to the handler again
                }
                BulkDocument replacement = sink.rejectedHandler.handle(
                        new RejectedDocumentHandler.Rejection(op.doc, item.status(), type, reason, now));
                if (replacement != null) {
                    again.add(new Op(replacement, true));
                }
            }
            return again;
        }

        /** Hands every operation of a request refused for good to the fallback, or fails without one. */
        private void toFallback(List<Op> ops, Failure failure) throws IOException {
            if (fallback == null) {
                throw new IOException("Elasticsearch " + sink.connection.urls() + " refused a bulk request of "
                        + ops.size() + " documents for good (" + failure.forLog() + ") and the sink has no "
                        + "fallback to keep them");
            }
            if (episodeFallbackDocs == 0) {
                LOG.warn("Elasticsearch {}: {} documents refused for good ({}) go to {}; later ones of this failure "
                                + "episode are counted in {}", sink.connection.urls(), ops.size(), failure.forLog(),
                        fallback.describe(), METRIC_FALLBACK_DOCS);
            } else {
                LOG.debug("{} documents refused for good ({}) go to {}", ops.size(), failure.forLog(),
                        fallback.describe());
            }
            refused.inc(ops.size());
            for (Op op : ops) {
                sendToFallback(op, failure);
            }
        }

        private void sendToFallback(Op op, Failure failure) throws IOException {
            fallback.send(op.doc, failure.describe());
            fallbackUnflushed = true;
            fallbackDocs.inc();
            episodeFallbackDocs++;
        }

        /** Refused items: one WARN at most every {@link #REFUSAL_LOG_INTERVAL_MS}, each at DEBUG; never the source. */
        private void logRefusal(Op op, int status, String type, String reason) {
            long now = time.getCurrentProcessingTime();
            refusalsSinceLog++;
            if (!refusalLogged || now - lastRefusalLogMs >= REFUSAL_LOG_INTERVAL_MS) {
                LOG.warn("Elasticsearch refused {} document(s) since the last such message, e.g. {} ({} {}: {}); "
                                + "each becomes a dead letter{} (counted in {})", refusalsSinceLog, op.doc, status,
                        type, SafeText.bounded(reason, MAX_LOGGED_REASON_CHARS),
                        fallback == null ? "" : " and goes to " + fallback.describe(), METRIC_REJECTED);
                refusalLogged = true;
                lastRefusalLogMs = now;
                refusalsSinceLog = 0;
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("Elasticsearch refused document {} ({} {}: {})", op.doc, status, type,
                        SafeText.bounded(reason, MAX_LOGGED_REASON_CHARS));
            }
        }

        /** A 413 answered by splitting: WARN the first time (the bulk size exceeds the node's limit), then DEBUG. */
        private void tooLarge(String cause) {
            if (!tooLargeLogged) {
                tooLargeLogged = true;
                LOG.warn("Elasticsearch {}: {}; requests this large are split from now on (counted in {}; a smaller "
                        + "bulk size avoids it)", sink.connection.urls(), cause, METRIC_SPLIT_REQUESTS);
            } else {
                LOG.debug("Elasticsearch {}: {}", sink.connection.urls(), cause);
            }
        }

        /** A request failed: the gauge shows it, and the first failure of an episode is logged at WARN. */
        private void failed(String cause) {
            failing = 1;
            episodeFailedRequests++;
            if (!inEpisode) {
                inEpisode = true;
                episodeStartMs = time.getCurrentProcessingTime();
                episodeFailedRequests = 1;
                episodeFallbackDocs = 0;
                LOG.warn("Elasticsearch {}: {}; {} stays 1 until a request succeeds (retries at DEBUG)",
                        sink.connection.urls(), cause, METRIC_FAILING);
            } else {
                LOG.debug("Elasticsearch {}: {}", sink.connection.urls(), cause);
            }
        }

        /** A request succeeded; an episode ends when a whole send ends on a success (one INFO, not one per part). */
        private void succeeded() {
            failing = 0;
        }

        private void endEpisode() {
            inEpisode = false;
            LOG.info("Elasticsearch {}: requests succeed again after {} failed in {} ms; {} documents went to {}",
                    sink.connection.urls(), episodeFailedRequests, time.getCurrentProcessingTime() - episodeStartMs,
                    episodeFallbackDocs, fallback == null ? "no fallback" : fallback.describe());
        }

        /** Sleeps before the next attempt and returns the next attempt number; fails past the limit. */
        private int backoff(int attempt, String cause) throws IOException {
            if (sink.maxRetries != UNLIMITED_RETRIES && attempt >= sink.maxRetries) {
                throw new IOException("Elasticsearch " + sink.connection.urls() + ": giving up after " + attempt
                        + " retries: " + cause);
            }
            return sleep(attempt, cause);
        }

        /** Waits the backoff of {@code attempt} (doubling from the initial backoff) and returns {@code attempt + 1}. */
        private int sleep(int attempt, String cause) throws IOException {
            long delay = Math.min(sink.maxBackoffMs, sink.initialBackoffMs << Math.min(attempt, 30));
            retries.inc();
            LOG.debug("Elasticsearch {}: retry {} in {} ms", sink.connection.urls(), attempt + 1, delay);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to retry Elasticsearch: " + cause);
            }
            return attempt + 1;
        }

        private static long bytes(List<Op> ops) {
            long sum = 0;
            for (Op op : ops) {
                sum += op.bytes();
            }
            return sum;
        }

        /** The gauge's value: 1 from a failed request to the next successful one. */
        int failing() {
            return failing;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            try {
                if (fallback != null) {
                    fallback.close();
                }
            } finally {
                client.close();
            }
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
        private ElasticsearchFallback fallback;
        private int maxActions = DEFAULT_MAX_ACTIONS;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private int refusedRequestRetries = DEFAULT_REFUSED_REQUEST_RETRIES;
        private int retryOnConflict = DEFAULT_RETRY_ON_CONFLICT;
        private String metricGroup;
        private String metricKey;
        private String metricValue;

        private Builder() {}

        /**
         * Also registers {@value #METRIC_RETRIES}, {@value #METRIC_REFUSALS} and
         * {@value #METRIC_PENDING} under {@code group/key=value} of the writer's metric group: the
         * caller's name for this sink as a label (a reporter such as Prometheus turns it into one).
         */
        public Builder<T> labelledMetrics(String group, String key, String value) {
            this.metricGroup = java.util.Objects.requireNonNull(group, "group");
            this.metricKey = java.util.Objects.requireNonNull(key, "key");
            this.metricValue = java.util.Objects.requireNonNull(value, "value");
            return this;
        }

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

        /**
         * Where documents go that Elasticsearch will not store: those of requests refused for
         * good, and every refused item (default none: refused items only become dead letters, and
         * a request refused for good fails the writer).
         */
        public Builder<T> fallback(ElasticsearchFallback fallback) {
            this.fallback = fallback;
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

        /**
         * Retries of one send failing with a connection error, 429 or 5xx before the writer fails
         * (and the job restarts); default unlimited (an outage backpressures the job).
         */
        public Builder<T> maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Retries, with backoff, of a request refused as a whole with another status (400, 401,
         * 403, …) before its documents go to the fallback (default
         * {@value ElasticsearchSink#DEFAULT_REFUSED_REQUEST_RETRIES}; 0 hands them over at once).
         */
        public Builder<T> refusedRequestRetries(int refusedRequestRetries) {
            this.refusedRequestRetries = refusedRequestRetries;
            return this;
        }

        /**
         * {@code retry_on_conflict} of update operations (partial documents with an upsert):
         * how often Elasticsearch retries an update that raced another writer of the same
         * document (default {@value ElasticsearchSink#DEFAULT_RETRY_ON_CONFLICT}).
         */
        public Builder<T> retryOnConflict(int retryOnConflict) {
            this.retryOnConflict = retryOnConflict;
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
            if (refusedRequestRetries < 0) {
                throw new IllegalArgumentException("refusedRequestRetries must be >= 0, got " + refusedRequestRetries);
            }
            if (retryOnConflict < 0) {
                throw new IllegalArgumentException("retryOnConflict must be >= 0, got " + retryOnConflict);
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
