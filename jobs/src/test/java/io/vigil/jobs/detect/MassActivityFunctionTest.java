package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.model.MassActivity;
import io.vigil.model.Origin;
import io.vigil.rules.verify.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mass activity on Flink's operator harness, time moved by watermarks only. */
class MassActivityFunctionTest {

    /** The start of an event-time minute. */
    private static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");
    /** Not a packaged rule: as for a rule without suppression, no later copies are waited for. */
    private static final String BRUTE_FORCE = "unsuppressed-test-rule";
    /** Suppresses for 5 minutes: later copies come. */
    private static final String WEB_ATTACK = "web-attack-pattern";

    private static RuleSet rules;

    private final List<KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert>> harnesses = new ArrayList<>();

    @BeforeAll
    static void rules() {
        rules = RuleSet.packaged();
        assertThat(rules.active()).doesNotContainKey(BRUTE_FORCE);
        assertThat(rules.active().get(WEB_ATTACK).suppressMs()).isEqualTo(Duration.ofMinutes(5).toMillis());
    }

    @AfterEach
    void close() throws Exception {
        for (var h : harnesses) {
            h.close();
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness(int maxNewKeys) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MassActivityFunction(rules, maxNewKeys, Duration.ofHours(24))),
                Alert::ruleId, Types.STRING);
        h.open();
        harnesses.add(h);
        return h;
    }

    static Alert alert(String rule, String ip, Instant at) {
        Origin origin = Origin.file("access.log", at.getEpochSecond() % 10_000);
        return new Alert("alert-" + rule + "-" + ip + "-" + at.toEpochMilli(), at, rule, 1, rule + " name", "d",
                "medium", 47, List.of("TA0001"), List.of("T1190"), List.of("web"), "source.ip", ip,
                Map.of("source.ip", ip), 1, 0, at, at, List.of(origin), 1, List.of(new KeyEvent(at, origin, null)));
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h, Alert a) throws Exception {
        h.processElement(new StreamRecord<>(a, a.timestamp().toEpochMilli()));
    }

    private static List<Alert> drain(KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h) {
        List<Alert> out = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }

    /** Ten addresses within one minute, the first and the ninth twice, arriving latest first. */
    private static List<Alert> flood(String rule) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            alerts.add(alert(rule, "198.51.100." + i, T0.plusSeconds(i)));
        }
        alerts.add(alert(rule, "198.51.100.1", T0.plusSeconds(20)));
        alerts.add(alert(rule, "198.51.100.9", T0.plusSeconds(21)));
        java.util.Collections.reverse(alerts);
        return alerts;
    }

    @Test
    void theAlertsOfKeysBeyondTheLimitInOneMinuteBecomeOneMassActivityAlertAtItsEnd() throws Exception {
        var h = harness(3);
        for (Alert a : flood(BRUTE_FORCE)) {
            send(h, a);
        }
        assertThat(drain(h)).isEmpty();
        h.processWatermark(T0.plusSeconds(60).toEpochMilli() - 1);
        // the first three addresses in time order, and the first again (not a new key)
        assertThat(drain(h)).extracting(Alert::groupKey)
                .containsExactly("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.1");

        h.processWatermark(T0.plusSeconds(60).toEpochMilli());
        List<Alert> out = drain(h);
        assertThat(out).hasSize(1);
        Alert mass = out.get(0);
        assertThat(mass.id()).isEqualTo(MassActivityFunction.id(BRUTE_FORCE, T0.toEpochMilli())).hasSize(32);
        assertThat(mass.ruleId()).isEqualTo(BRUTE_FORCE);
        assertThat(mass.timestamp()).isEqualTo(T0.plusSeconds(60));
        assertThat(mass.tags()).contains("web", MassActivity.TAG);
        assertThat(mass.entities()).isEmpty();
        assertThat(mass.groupBy()).isEqualTo(MassActivity.GROUP_BY);
        assertThat(mass.suppressedCount()).isZero();
        assertThat(mass.count()).isEqualTo(8);
        assertThat(mass.firstEventTime()).isEqualTo(T0.plusSeconds(4));
        assertThat(mass.lastEventTime()).isEqualTo(T0.plusSeconds(21));
        MassActivity m = mass.massActivity();
        assertThat(m.alerts()).isEqualTo(8);
        assertThat(m.keys()).isEqualTo(7);
        assertThat(m.sampleKeys()).containsExactly("198.51.100.4", "198.51.100.5", "198.51.100.6", "198.51.100.7",
                "198.51.100.8", "198.51.100.9", "198.51.100.10");
        assertThat(m.windowStart()).isEqualTo(T0);
        assertThat(m.windowEnd()).isEqualTo(T0.plusSeconds(60));
        assertThat(m.groupBy()).isEqualTo("source.ip");
        assertThat(m.maxNewKeys()).isEqualTo(3);
        assertThat(mass.keyEvents()).hasSize(Alert.MAX_KEY_EVENTS);
        assertThat(mass.keyEvents().get(0).value()).isEqualTo("source.ip=198.51.100.4");
        // nothing waits for later copies of a rule without suppression
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();

        // the next minute counts its new keys afresh
        for (int i = 1; i <= 4; i++) {
            send(h, alert(BRUTE_FORCE, "198.51.100." + i, T0.plusSeconds(60 + i)));
        }
        h.processWatermark(T0.plusSeconds(120).toEpochMilli());
        out = drain(h);
        assertThat(out).extracting(Alert::groupKey).startsWith("198.51.100.1", "198.51.100.2", "198.51.100.3");
        assertThat(out.get(3).massActivity().sampleKeys()).containsExactly("198.51.100.4");
        assertThat(out.get(3).id()).isEqualTo(MassActivityFunction.id(BRUTE_FORCE, T0.plusSeconds(60).toEpochMilli()));
    }

    @Test
    void theSameAlertsInAnotherArrivalOrderGiveTheSameOutput() throws Exception {
        var first = harness(3);
        var second = harness(3);
        List<Alert> alerts = flood(BRUTE_FORCE);
        for (Alert a : alerts) {
            send(first, a);
        }
        List<Alert> reversed = new ArrayList<>(alerts);
        java.util.Collections.reverse(reversed);
        for (Alert a : reversed) {
            send(second, a);
        }
        first.processWatermark(T0.plusSeconds(60).toEpochMilli());
        second.processWatermark(T0.plusSeconds(60).toEpochMilli());
        List<Alert> out = drain(first);
        assertThat(out).hasSize(5);
        assertThat(drain(second)).isEqualTo(out);
    }

    @Test
    void aLaterCopyFollowsItsFirstCopyThroughOrIntoTheAggregate() throws Exception {
        var h = harness(1);
        Alert admitted = alert(WEB_ATTACK, "203.0.113.1", T0.plusSeconds(1));
        Alert aggregated = alert(WEB_ATTACK, "203.0.113.2", T0.plusSeconds(2));
        send(h, admitted);
        send(h, aggregated);
        send(h, alert(WEB_ATTACK, "203.0.113.3", T0.plusSeconds(3)));
        h.processWatermark(T0.plusSeconds(60).toEpochMilli());
        List<Alert> out = drain(h);
        assertThat(out).extracting(Alert::id).containsExactly(admitted.id(),
                MassActivityFunction.id(WEB_ATTACK, T0.toEpochMilli()));
        assertThat(out.get(1).massActivity().alerts()).isEqualTo(2);
        // the window waits for the later copies its aggregated alerts may have (5 minutes of suppression)
        assertThat(h.numKeyedStateEntries()).isPositive();

        // their suppression ends: the correlation emits the later copies, behind the watermark
        h.processWatermark(T0.plusSeconds(2 + 300).toEpochMilli() - 1);
        send(h, admitted.withSuppressed(2, T0.plusSeconds(200)));
        send(h, aggregated.withSuppressed(4, T0.plusSeconds(250)));
        h.processWatermark(T0.plusSeconds(2 + 300).toEpochMilli());
        out = drain(h);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(admitted.withSuppressed(2, T0.plusSeconds(200)));
        Alert again = out.get(1);
        assertThat(again.id()).isEqualTo(MassActivityFunction.id(WEB_ATTACK, T0.toEpochMilli()));
        assertThat(again.suppressedCount()).isEqualTo(4);
        assertThat(again.lastEventTime()).isEqualTo(T0.plusSeconds(250));
        assertThat(again.massActivity().alerts()).isEqualTo(2);

        // once every later copy can have come, nothing is left
        h.processWatermark(T0.plusSeconds(60 + 300).toEpochMilli() + 1);
        assertThat(drain(h)).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aFirstCopyLaterThanTheWatermarkCountsInTheMinuteTheWatermarkIsIn() throws Exception {
        var h = harness(1);
        send(h, alert(WEB_ATTACK, "203.0.113.1", T0.plusSeconds(1)));
        h.processWatermark(T0.plusSeconds(90).toEpochMilli());
        assertThat(drain(h)).hasSize(1);
        // two late alerts of the first minute: the window of 10:01 takes them, one through, one aggregated
        Alert late = alert(WEB_ATTACK, "203.0.113.2", T0.plusSeconds(5));
        Alert lateAggregated = alert(WEB_ATTACK, "203.0.113.3", T0.plusSeconds(6));
        send(h, late);
        send(h, lateAggregated);
        h.processWatermark(T0.plusSeconds(120).toEpochMilli());
        List<Alert> out = drain(h);
        assertThat(out).extracting(Alert::id).containsExactly(late.id(),
                MassActivityFunction.id(WEB_ATTACK, T0.plusSeconds(60).toEpochMilli()));
        assertThat(out.get(1).massActivity().sampleKeys()).containsExactly("203.0.113.3");
        // and their later copies follow them there
        send(h, late.withSuppressed(1, T0.plusSeconds(100)));
        send(h, lateAggregated.withSuppressed(3, T0.plusSeconds(110)));
        h.processWatermark(T0.plusSeconds(121).toEpochMilli());
        out = drain(h);
        assertThat(out).extracting(Alert::id).containsExactly(late.id(),
                MassActivityFunction.id(WEB_ATTACK, T0.plusSeconds(60).toEpochMilli()));
        assertThat(out.get(1).suppressedCount()).isEqualTo(3);
        h.processWatermark(T0.plusSeconds(120 + 300).toEpochMilli() + 1);
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void anAlertBehindTheWatermarkGoesOutWithoutWaitingForTheNextWatermark() throws Exception {
        var h = harness(10);
        send(h, alert(WEB_ATTACK, "203.0.113.1", T0.plusSeconds(1)));
        h.processWatermark(T0.plusSeconds(30).toEpochMilli());
        assertThat(drain(h)).hasSize(1);
        // the input is quiet from here: no watermark follows the late alert
        Alert late = alert(WEB_ATTACK, "203.0.113.2", T0.plusSeconds(5));
        send(h, late);
        assertThat(drain(h)).containsExactly(late);
        // nor its later copy
        send(h, late.withSuppressed(2, T0.plusSeconds(20)));
        assertThat(drain(h)).containsExactly(late.withSuppressed(2, T0.plusSeconds(20)));
    }
}
