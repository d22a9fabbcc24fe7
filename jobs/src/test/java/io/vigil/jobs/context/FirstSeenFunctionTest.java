package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.firstseen.FirstSeenRule;
import io.vigil.rules.firstseen.FirstSeenRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** First-seen history on Flink's operator harness, time moved by watermarks only. */
class FirstSeenFunctionTest {

    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    /** Learns 7 days, keeps values 30 days, at most 3 per user. */
    private static final FirstSeenRule RULE = FirstSeenRules.parse("test/new-host-for-user.firstseen.json", """
            {"id": "new-host-for-user", "name": "New host for a user", "description": "d",
             "severity": "medium", "riskScore": 47, "tactics": ["TA0008"], "techniques": ["T1021"],
             "when": {"event.outcome": "success"}, "key": ["user.name"], "value": ["host.name"],
             "learning": "7d", "retention": "30d", "maxValues": 3}
            """);

    private final List<KeyedOneInputStreamOperatorTestHarness<String, FirstSeenObservation, Alert>> harnesses =
            new ArrayList<>();
    private int position;

    @AfterEach
    void close() throws Exception {
        for (var h : harnesses) {
            h.close();
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<String, FirstSeenObservation, Alert> harness(
            OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FirstSeenFunction(List.of(RULE))), FirstSeenObservation::stateKey,
                Types.STRING);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        harnesses.add(h);
        return h;
    }

    private SecurityEvent signIn(String user, String host, Instant at) {
        return SecurityEvent.builder().origin(Origin.file("auth.log", ++position)).timestamp(at)
                .eventAction("logged-in").eventOutcome("success").userName(user).hostName(host).build();
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, FirstSeenObservation, Alert> h,
                             SecurityEvent e) throws Exception {
        List<FirstSeenObservation> observed = new ArrayList<>();
        new FirstSeenObserveFunction(List.of(RULE)).flatMap(e, new Collector<>() {
            @Override
            public void collect(FirstSeenObservation o) {
                observed.add(o);
            }

            @Override
            public void close() {}
        });
        for (FirstSeenObservation o : observed) {
            h.processElement(new StreamRecord<>(o, e.timestamp().toEpochMilli()));
        }
    }

    private static List<Alert> drain(KeyedOneInputStreamOperatorTestHarness<String, FirstSeenObservation, Alert> h) {
        List<Alert> out = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }

    @Test
    void theStateAndTheObservationsAreSerializedByFlinkWithoutKryo() {
        for (Class<?> type : List.of(FirstSeenObservation.class, FirstSeenKeyState.class)) {
            assertThat(TypeInformation.of(type)).as(type.getSimpleName()).isNotInstanceOf(GenericTypeInfo.class);
        }
    }

    @Test
    void theFunctionsTravelToTheTasks() {
        assertThat(InstantiationUtil.isSerializable(new FirstSeenFunction(List.of(RULE)))).isTrue();
        assertThat(InstantiationUtil.isSerializable(new FirstSeenObserveFunction(List.of(RULE)))).isTrue();
    }

    @Test
    void newValuesAreLearnedSilentlyThenAlertOnceWithTheirContext() throws Exception {
        var h = harness(null);
        send(h, signIn("alice", "WS-1", T0));
        send(h, signIn("alice", "WS-2", T0.plus(DAY)));
        send(h, signIn("alice", "WS-1", T0.plus(DAY.multipliedBy(8))));
        assertThat(drain(h)).isEmpty();

        SecurityEvent fresh = signIn("alice", "SRV-9", T0.plus(DAY.multipliedBy(8)).plusSeconds(60));
        send(h, fresh);
        send(h, signIn("alice", "SRV-9", T0.plus(DAY.multipliedBy(8)).plusSeconds(120)));
        send(h, signIn("bob", "SRV-9", T0.plus(DAY.multipliedBy(8)).plusSeconds(180)));
        List<Alert> alerts = drain(h);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.ruleId()).isEqualTo("new-host-for-user");
        assertThat(a.groupBy()).isEqualTo("user.name,host.name");
        assertThat(a.groupKey()).isEqualTo("alice | SRV-9");
        assertThat(a.timestamp()).isEqualTo(fresh.timestamp());
        assertThat(a.origins()).containsExactly(fresh.origin());
        assertThat(a.entities()).containsEntry("user.name", "alice").containsEntry("host.name", "SRV-9");
        assertThat(a.context())
                .containsEntry("vigil.first_seen.key_fields", "user.name")
                .containsEntry("vigil.first_seen.key", "alice")
                .containsEntry("vigil.first_seen.fields", "host.name")
                .containsEntry("vigil.first_seen.value", "SRV-9")
                .containsEntry("vigil.first_seen.known_values", "2")
                .containsEntry("vigil.first_seen.learning_since", "2024-05-01T08:00:00Z");
    }

    @Test
    void theHistorySurvivesARestoreFromASnapshot() throws Exception {
        var h = harness(null);
        send(h, signIn("alice", "WS-1", T0));
        h.processWatermark(new Watermark(T0.plus(DAY).toEpochMilli()));
        OperatorSubtaskState snapshot = h.snapshot(1, T0.plus(DAY).toEpochMilli());
        h.close();
        harnesses.remove(h);

        var restored = harness(snapshot);
        send(restored, signIn("alice", "WS-1", T0.plus(DAY.multipliedBy(9))));
        assertThat(drain(restored)).isEmpty();
        send(restored, signIn("alice", "WS-7", T0.plus(DAY.multipliedBy(9))));
        assertThat(drain(restored)).extracting(Alert::groupKey).containsExactly("alice | WS-7");
    }

    @Test
    void valuesLeaveAfterTheRetentionAndTheKeyIsForgottenWithItsTimer() throws Exception {
        var h = harness(null);
        send(h, signIn("alice", "WS-1", T0));
        send(h, signIn("alice", "WS-2", T0.plus(DAY.multipliedBy(20))));
        assertThat(drain(h)).extracting(Alert::groupKey).containsExactly("alice | WS-2");
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        // WS-1 leaves at day 30; WS-2 stays until day 50
        h.processWatermark(new Watermark(T0.plus(DAY.multipliedBy(31)).toEpochMilli()));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(h.numKeyedStateEntries()).isPositive();
        send(h, signIn("alice", "WS-1", T0.plus(DAY.multipliedBy(31))));
        assertThat(drain(h)).extracting(a -> a.context().get("vigil.first_seen.known_values"))
                .as("WS-1 is new again, next to WS-2 only").containsExactly("1");

        h.processWatermark(new Watermark(T0.plus(DAY.multipliedBy(62)).toEpochMilli()));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(drain(h)).isEmpty();
    }

    @Test
    void aFullKeyDropsFurtherValuesWithoutAlerting() throws Exception {
        var h = harness(null);
        for (int i = 1; i <= 3; i++) {
            send(h, signIn("alice", "WS-" + i, T0));
        }
        send(h, signIn("alice", "WS-4", T0.plus(DAY.multipliedBy(8))));
        send(h, signIn("alice", "WS-4", T0.plus(DAY.multipliedBy(8))));
        assertThat(drain(h)).isEmpty();
        send(h, signIn("bob", "WS-1", T0));
        send(h, signIn("bob", "WS-4", T0.plus(DAY.multipliedBy(8))));
        assertThat(drain(h)).extracting(Alert::groupKey).containsExactly("bob | WS-4");
    }

    @Test
    void aKeyUnseenForTheRetentionLearnsAgainEvenBeforeItsTimerFires() throws Exception {
        var h = harness(null);
        send(h, signIn("alice", "WS-1", T0));
        // no watermark: the key is past the retention but its timer has not fired
        send(h, signIn("alice", "WS-2", T0.plus(DAY.multipliedBy(45))));
        assertThat(drain(h)).isEmpty();
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        send(h, signIn("alice", "WS-3", T0.plus(DAY.multipliedBy(53))));
        assertThat(drain(h)).extracting(Alert::groupKey).containsExactly("alice | WS-3");
    }
}
