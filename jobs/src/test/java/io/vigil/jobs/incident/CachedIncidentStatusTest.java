package io.vigil.jobs.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Incident;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Status reads at a bounded cost, failing open; time is a clock the test moves. */
class CachedIncidentStatusTest {

    private final AtomicLong nanos = new AtomicLong();
    private final List<String> reads = new ArrayList<>();
    private IOException failure;
    private String status = Incident.CLOSED;

    private final IncidentStatusSource.Reader reader = new IncidentStatusSource.Reader() {
        @Override
        public IncidentStatusSource.Status read(String id) throws IOException {
            reads.add(id);
            if (failure != null) {
                throw failure;
            }
            return id.equals("missing") ? null : new IncidentStatusSource.Status(status, 1_000);
        }

        @Override
        public void close() {}
    };

    private final CachedIncidentStatus cached = new CachedIncidentStatus(reader, Duration.ofSeconds(10), nanos::get);

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aReadIsTrustedForItsTimeToLiveThenReadAgain() {
        assertThat(cached.closed("a")).isEqualTo(new ClosedIncidents.Closed("a", 1_000));
        assertThat(cached.closed("missing")).isNull();
        advance(Duration.ofSeconds(9));
        cached.closed("a");
        cached.closed("missing");
        assertThat(reads).containsExactly("a", "missing");
        status = Incident.ACKNOWLEDGED;
        advance(Duration.ofSeconds(1));
        assertThat(cached.closed("a")).isNull();
        assertThat(reads).containsExactly("a", "missing", "a");
        assertThat(cached.reads()).isEqualTo(3);
    }

    @Test
    void whenElasticsearchDoesNotAnswerIncidentsCountAsOpenAndReadsPauseForTheTimeToLive() {
        failure = new IOException("connection refused");
        assertThat(cached.closed("a")).isNull();
        for (int i = 0; i < 1000; i++) {
            assertThat(cached.closed("incident-" + i)).isNull();
        }
        // one read tried, every incident counted as open without an answer
        assertThat(reads).containsExactly("a");
        assertThat(cached.failures()).isEqualTo(1);
        assertThat(cached.assumedOpen()).isEqualTo(1001);

        failure = null;
        advance(Duration.ofSeconds(10));
        assertThat(cached.closed("a")).isNotNull();
        assertThat(cached.assumedOpen()).isEqualTo(1001);
    }
}
