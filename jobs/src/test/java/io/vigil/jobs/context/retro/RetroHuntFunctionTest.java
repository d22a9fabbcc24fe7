package io.vigil.jobs.context.retro;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.context.ContextAlert;
import io.vigil.context.ContextUpdate;
import io.vigil.context.intel.Indicator;
import io.vigil.context.intel.IntelAlert;
import io.vigil.context.intel.IntelFields;
import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The retro-hunt operator: what it hunts of each update, its alerts, its retries and its state. */
class RetroHuntFunctionTest {

    static final Instant PUSHED = Instant.parse("2026-03-10T12:00:00Z");
    static final Duration LOOKBACK = Duration.ofDays(30);
    static final Duration RETRY = Duration.ofMinutes(1);

    /** The store of past events the tests hunt in (the Elasticsearch one is tested on a real node). */
    static final class PastEvents implements RetroSearch {
        final List<SecurityEvent> events = new ArrayList<>();
        final List<List<String>> calls = new ArrayList<>();
        int failuresLeft;

        @Override
        public Result hunt(List<Indicator> indicators, Instant from, Instant to, int maxHits) throws IOException {
            calls.add(indicators.stream().map(Indicator::value).toList());
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IOException("node unavailable");
            }
            List<RetroHit> hits = new ArrayList<>();
            int cut = 0;
            for (Indicator i : indicators) {
                int n = 0;
                for (SecurityEvent e : events) {
                    String[] where = IndicatorMatch.find(i, e);
                    if (where != null && !e.timestamp().isBefore(from) && !e.timestamp().isAfter(to)) {
                        if (n == maxHits) {
                            cut++;
                            break;
                        }
                        hits.add(new RetroHit(i, where[0], where[1], e));
                        n++;
                    }
                }
            }
            return new Result(hits, cut);
        }

        @Override
        public void close() {}
    }

    static PastEvents store;

    /** Lines "TYPE,value"; a line "broken" makes the feed unreadable. */
    static final IndicatorParser LINES = u -> {
        List<Indicator> out = new ArrayList<>();
        for (String line : new String(u.body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.equals("broken")) {
                throw new IOException("line 1: broken");
            }
            String[] p = line.split(",", 2);
            out.add(new Indicator(Indicator.Type.valueOf(p[0]), p[1], 80, null, null, u.name(), "test-provider",
                    null, null));
        }
        return out;
    };

    KeyedOneInputStreamOperatorTestHarness<String, ContextUpdate, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        store = new PastEvents();
        harness = harness(1);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ContextUpdate, Alert> harness(int batch) throws Exception {
        RetroHuntSettings settings = new RetroHuntSettings(LOOKBACK, 2, 1000, batch, RETRY);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RetroHuntFunction(settings, () -> store, LINES)),
                ContextUpdate::key, Types.STRING);
        h.setProcessingTime(1_000);
        h.open();
        return h;
    }

    static SecurityEvent event(String sourceIp, Instant at, long offset) {
        return SecurityEvent.builder().timestamp(at).origin(Origin.kafka("raw.syslog", 0, offset))
                .sourceIp(sourceIp).hostName("web-1").eventAction("ssh_login").build();
    }

    static ContextUpdate intel(String name, Instant at, String... lines) {
        return new ContextUpdate(ContextUpdate.INTEL, name, "csv", "alice", at,
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void push(ContextUpdate u) throws Exception {
        harness.processElement(new StreamRecord<>(u, 0L));
        harness.setProcessingTime(harness.getProcessingTime() + 1);
    }

    @Test
    void aNewIndicatorRaisesARetroAlertOnEachPastEventInTheLookbackWithTheLiveMatchsId() throws Exception {
        SecurityEvent past = event("203.0.113.7", PUSHED.minus(Duration.ofDays(3)), 41);
        store.events.add(past);
        store.events.add(event("203.0.113.7", PUSHED.minus(Duration.ofDays(31)), 7)); // before the lookback
        store.events.add(event("198.51.100.1", PUSHED.minus(Duration.ofDays(1)), 42)); // another address

        push(intel("abuse-ch", PUSHED, "IPV4_ADDR,203.0.113.7"));

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo(IntelAlert.RULE.id());
            assertThat(a.timestamp()).isEqualTo(past.timestamp());
            assertThat(a.id()).isEqualTo(ContextAlert.id(IntelAlert.RULE.id(), "203.0.113.7 @ web-1", past));
            assertThat(a.context()).containsEntry(IntelAlert.RETRO, "true")
                    .containsEntry(IntelFields.MATCHED_TYPE, "indicator_retro_hunt")
                    .containsEntry(IntelFields.MATCHED_FIELD, "source.ip")
                    .containsEntry(IntelFields.FEED, "abuse-ch")
                    .containsEntry(IntelFields.CONFIDENCE, "High");
            assertThat(a.severity()).isEqualTo("high");
            assertThat(a.origins()).containsExactly(past.origin());
        });
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("only the feed's hashes stay").isEqualTo(1);
    }

    @Test
    void aLaterVersionOfTheFeedHuntsOnlyTheIndicatorsItAdds() throws Exception {
        push(intel("abuse-ch", PUSHED, "IPV4_ADDR,203.0.113.7", "DOMAIN_NAME,evil.example"));
        push(intel("abuse-ch", PUSHED.plusSeconds(3600), "IPV4_ADDR,203.0.113.7", "DOMAIN_NAME,evil.example",
                "SHA256,aa11"));
        push(intel("other-feed", PUSHED.plusSeconds(7200), "IPV4_ADDR,203.0.113.7"));

        assertThat(store.calls).containsExactly(List.of("evil.example"), List.of("203.0.113.7"), List.of("aa11"),
                List.of("203.0.113.7"));
    }

    @Test
    void aFailedSearchIsRetriedLaterAndTheHuntThenCompletes() throws Exception {
        store.events.add(event("203.0.113.7", PUSHED.minus(Duration.ofDays(3)), 41));
        store.failuresLeft = 2;

        push(intel("abuse-ch", PUSHED, "IPV4_ADDR,203.0.113.7"));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(harness.getProcessingTime() + RETRY.toMillis()); // fails again
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(harness.getProcessingTime() + RETRY.toMillis());

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(store.calls).hasSize(3);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void aLargeUpdateIsHuntedOneBatchPerStepAndEachIndicatorsHitsAreBounded() throws Exception {
        harness.close();
        harness = harness(2);
        for (int i = 0; i < 5; i++) {
            store.events.add(event("203.0.113." + (i % 2), PUSHED.minus(Duration.ofHours(i + 1)), i));
        }
        harness.processElement(new StreamRecord<>(intel("big", PUSHED, "IPV4_ADDR,203.0.113.0", "IPV4_ADDR,203.0.113.1",
                "IPV4_ADDR,203.0.113.9"), 0L));

        harness.setProcessingTime(harness.getProcessingTime() + 1);
        assertThat(store.calls).as("one batch per step").hasSize(2);
        // .0 matches three events, .1 two: at most two each
        assertThat(harness.extractOutputValues()).hasSize(4);
        assertThat(store.calls).containsExactly(List.of("203.0.113.0", "203.0.113.1"), List.of("203.0.113.9"));
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void assetsUpdatesAndUnreadableFeedsAreNotHunted() throws Exception {
        harness.processElement(new StreamRecord<>(new ContextUpdate(ContextUpdate.ASSETS, "hosts", "csv", "alice",
                PUSHED, "name\nweb-1\n".getBytes(StandardCharsets.UTF_8)), 0L));
        push(intel("abuse-ch", PUSHED, "broken"));

        assertThat(store.calls).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        // the feed's next readable version is hunted whole: nothing was known of it
        push(intel("abuse-ch", PUSHED, "IPV4_ADDR,203.0.113.7"));
        assertThat(store.calls).containsExactly(List.of("203.0.113.7"));
    }

    @Test
    void theHuntResumesFromItsSnapshotAfterARestart() throws Exception {
        store.failuresLeft = 1;
        push(intel("abuse-ch", PUSHED, "IPV4_ADDR,203.0.113.7"));
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        store.events.add(event("203.0.113.7", PUSHED.minus(Duration.ofDays(3)), 41));
        RetroHuntSettings settings = new RetroHuntSettings(LOOKBACK, 2, 1000, 1, RETRY);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RetroHuntFunction(settings, () -> store, LINES)),
                ContextUpdate::key, Types.STRING);
        harness.setProcessingTime(1_000);
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(1_000 + RETRY.toMillis() + 1);

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }
}
