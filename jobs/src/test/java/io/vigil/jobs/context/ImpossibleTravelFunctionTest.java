package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.context.travel.ImpossibleTravel;
import io.vigil.context.travel.SignIn;
import io.vigil.model.Alert;
import io.vigil.model.Origin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Impossible travel on Flink's operator harness, time moved by watermarks only. */
class ImpossibleTravelFunctionTest {

    private static final Instant T = Instant.parse("2024-06-01T10:00:00Z");
    private static final String LONDON = "51.5074,-0.1278";
    private static final String NEW_YORK = "40.7128,-74.006";
    private static final String PARIS = "48.8566,2.3522";
    private static final ImpossibleTravel RULE = new ImpossibleTravel(900, 500);

    private KeyedOneInputStreamOperatorTestHarness<String, SignIn, Alert> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<String, SignIn, Alert> open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ImpossibleTravelFunction(RULE)), SignIn::userKey, Types.STRING);
        harness.open();
        return harness;
    }

    private static SignIn signIn(String user, String ip, String location, Instant at, long offset) {
        return new SignIn(at.toEpochMilli(), user, null, ip, null, null, location, Origin.file("auth.log", offset));
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, SignIn, Alert> h, SignIn s)
            throws Exception {
        h.processElement(new StreamRecord<>(s, s.at()));
    }

    private static List<Alert> drain(KeyedOneInputStreamOperatorTestHarness<String, SignIn, Alert> h) {
        List<Alert> out = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }

    @Test
    void aSignInTooFarFromTheLastInTooLittleTimeAlertsOnceTheWatermarkPassesIt() throws Exception {
        var h = open();
        send(h, signIn("alice", "81.2.69.160", LONDON, T, 1));
        send(h, signIn("alice", "8.8.8.8", NEW_YORK, T.plus(Duration.ofHours(2)), 2));
        assertThat(drain(h)).isEmpty();
        h.processWatermark(T.plus(Duration.ofHours(2)).toEpochMilli());
        List<Alert> out = drain(h);
        assertThat(out).hasSize(1);
        Alert a = out.get(0);
        assertThat(a.ruleId()).isEqualTo("impossible-travel");
        assertThat(a.groupKey()).isEqualTo("alice");
        assertThat(a.timestamp()).isEqualTo(T.plus(Duration.ofHours(2)));
        assertThat(a.context()).containsEntry("vigil.travel.from.ip", "81.2.69.160")
                .containsEntry("vigil.travel.to.ip", "8.8.8.8");
        assertThat(Double.parseDouble(a.context().get("vigil.travel.speed_kmh"))).isBetween(2780.0, 2790.0);
    }

    @Test
    void possibleJourneysShortOnesAndOtherUsersRaiseNothing() throws Exception {
        var h = open();
        send(h, signIn("alice", "81.2.69.160", LONDON, T, 1));
        send(h, signIn("alice", "8.8.8.8", NEW_YORK, T.plus(Duration.ofHours(8)), 2)); // 700 km/h
        send(h, signIn("bob", "81.2.69.161", LONDON, T, 3));
        send(h, signIn("bob", "89.160.20.1", PARIS, T.plusSeconds(60), 4)); // fast, but 344 km
        send(h, signIn("carol", "8.8.4.4", NEW_YORK, T.plusSeconds(30), 5)); // a first sign-in
        h.processWatermark(T.plus(Duration.ofHours(9)).toEpochMilli());
        assertThat(drain(h)).isEmpty();
    }

    @Test
    void theOrderOfArrivalDoesNotChangeWhatIsCompared() throws Exception {
        // London 10:00, New York 11:00, New York 20:00: one alert (London to New York), whatever the order
        List<SignIn> inOrder = List.of(signIn("alice", "81.2.69.160", LONDON, T, 1),
                signIn("alice", "8.8.8.8", NEW_YORK, T.plus(Duration.ofHours(1)), 2),
                signIn("alice", "8.8.8.9", NEW_YORK, T.plus(Duration.ofHours(10)), 3));
        List<String> ids = new ArrayList<>();
        for (List<SignIn> order : List.of(inOrder, List.of(inOrder.get(2), inOrder.get(0), inOrder.get(1)))) {
            var h = open();
            for (SignIn s : order) {
                send(h, s);
            }
            h.processWatermark(T.plus(Duration.ofHours(10)).toEpochMilli());
            List<Alert> out = drain(h);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).context()).containsEntry("vigil.travel.from.ip", "81.2.69.160")
                    .containsEntry("vigil.travel.to.ip", "8.8.8.8");
            ids.add(out.get(0).id());
            h.close();
            harness = null;
        }
        assertThat(ids.get(0)).isEqualTo(ids.get(1));
    }

    @Test
    void aLateSignInIsComparedWithTheLastInTimeOrderAndDoesNotReplaceIt() throws Exception {
        var h = open();
        send(h, signIn("alice", "8.8.8.8", NEW_YORK, T.plus(Duration.ofHours(3)), 2));
        h.processWatermark(T.plus(Duration.ofHours(3)).toEpochMilli());
        assertThat(drain(h)).isEmpty();
        // behind the watermark: London at 10:00, three hours before New York
        send(h, signIn("alice", "81.2.69.160", LONDON, T, 1));
        List<Alert> out = drain(h);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context()).containsEntry("vigil.travel.from.ip", "81.2.69.160")
                .containsEntry("vigil.travel.to.ip", "8.8.8.8");
        // New York stays the last: a later New York sign-in is no journey
        send(h, signIn("alice", "8.8.8.9", NEW_YORK, T.plus(Duration.ofHours(4)), 3));
        h.processWatermark(T.plus(Duration.ofHours(4)).toEpochMilli());
        assertThat(drain(h)).isEmpty();
    }

    @Test
    void theLastSignInIsForgottenAfterTheHorizonAndNoStateOrTimerIsLeft() throws Exception {
        var h = open();
        send(h, signIn("alice", "81.2.69.160", LONDON, T, 1));
        h.processWatermark(T.toEpochMilli());
        assertThat(h.numKeyedStateEntries()).isPositive();
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark(T.plus(RULE.horizon()).toEpochMilli());
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aNewerSignInMovesTheCleanUpTimerInsteadOfAddingOne() throws Exception {
        var h = open();
        send(h, signIn("alice", "81.2.69.160", LONDON, T, 1));
        send(h, signIn("alice", "81.2.69.161", LONDON, T.plus(Duration.ofHours(5)), 2));
        h.processWatermark(T.plus(Duration.ofHours(5)).toEpochMilli());
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark(T.plus(Duration.ofHours(5)).plus(RULE.horizon()).toEpochMilli());
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void theStateSurvivesASnapshotAndRestore() throws Exception {
        var h = open();
        send(h, signIn("alice", "81.2.69.160", LONDON, T, 1));
        h.processWatermark(T.toEpochMilli());
        var snapshot = h.snapshot(1, 1);
        h.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ImpossibleTravelFunction(RULE)), SignIn::userKey, Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        send(harness, signIn("alice", "8.8.8.8", NEW_YORK, T.plus(Duration.ofHours(1)), 2));
        harness.processWatermark(T.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(drain(harness)).hasSize(1);
    }

    @Test
    void pendingSignInsPerUserAreBounded() throws Exception {
        var h = open();
        for (int i = 0; i < ImpossibleTravelFunction.MAX_PENDING + 10; i++) {
            send(h, signIn("alice", "81.2.69.160", LONDON, T.plusSeconds(i), i));
        }
        // past the bound a sign-in waits for nothing: it is compared at once and becomes the last, so
        // the timers are one per waiting sign-in and the last one's clean-up, not one per sign-in
        assertThat(h.numEventTimeTimers()).isEqualTo(ImpossibleTravelFunction.MAX_PENDING + 1);
        h.processWatermark(T.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(drain(h)).isEmpty();
    }

    @Test
    void pastTheUserBoundANewUsersSignInIsComparedWithNothingStoredNowhereAndCounted() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ImpossibleTravelFunction(RULE, 2)), SignIn::userKey, Types.STRING);
        harness.open();
        var h = harness;
        send(h, signIn("alice", "81.2.69.160", LONDON, T, 1));
        send(h, signIn("bob", "81.2.69.161", LONDON, T, 2));
        h.processWatermark(T.toEpochMilli());
        long entries = h.numKeyedStateEntries();
        int timers = h.numEventTimeTimers();
        // a third user: refused, neither stored nor compared
        send(h, signIn("mallory", "81.2.69.162", LONDON, T.plusSeconds(1), 3));
        send(h, signIn("mallory", "8.8.8.8", NEW_YORK, T.plusSeconds(2), 4));
        h.processWatermark(T.plusSeconds(2).toEpochMilli());
        assertThat(drain(h)).isEmpty();
        assertThat(h.numKeyedStateEntries()).isEqualTo(entries);
        assertThat(h.numEventTimeTimers()).isEqualTo(timers);
        // a known user goes on as before
        send(h, signIn("alice", "8.8.8.8", NEW_YORK, T.plus(Duration.ofHours(1)), 5));
        h.processWatermark(T.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(drain(h)).hasSize(1);
        // once alice and bob are forgotten, a new user has room again
        h.processWatermark(T.plus(Duration.ofHours(1)).plus(RULE.horizon()).toEpochMilli());
        assertThat(h.numKeyedStateEntries()).isZero();
        send(h, signIn("mallory", "81.2.69.162", LONDON, T.plus(Duration.ofHours(30)), 6));
        h.processWatermark(T.plus(Duration.ofHours(30)).toEpochMilli());
        assertThat(h.numKeyedStateEntries()).isPositive();
    }

    @Test
    void signInsOfTheSameTimeAndAddressAreTakenInTheOrderOfTheirOriginsWhateverTheArrival() throws Exception {
        // same time, same address, two places (a database update between them): the origin decides
        SignIn paris = signIn("alice", "8.8.8.8", PARIS, T.plus(Duration.ofHours(1)), 4);
        SignIn newYork = signIn("alice", "8.8.8.8", NEW_YORK, T.plus(Duration.ofHours(1)), 5);
        List<List<String>> runs = new ArrayList<>();
        for (List<SignIn> order : List.of(List.of(newYork, paris), List.of(paris, newYork))) {
            var h = open();
            send(h, signIn("alice", "81.2.69.160", LONDON, T, 1));
            for (SignIn s : order) {
                send(h, s);
            }
            h.processWatermark(T.plus(Duration.ofHours(1)).toEpochMilli());
            runs.add(drain(h).stream().map(Alert::id).toList());
            h.close();
            harness = null;
        }
        assertThat(runs.get(0)).hasSize(1).isEqualTo(runs.get(1));
    }

    @Test
    void movingTheCleanUpTimerKeepsAWaitingSignInsTimerOfTheSameTime() throws Exception {
        var h = open();
        send(h, signIn("alice", "81.2.69.160", LONDON, T, 1));
        h.processWatermark(T.toEpochMilli());
        // waits at exactly the last one's clean-up time: one timer for both
        send(h, signIn("alice", "81.2.69.161", LONDON, T.plus(RULE.horizon()), 2));
        send(h, signIn("alice", "81.2.69.162", LONDON, T.plus(Duration.ofHours(1)), 3));
        h.processWatermark(T.plus(Duration.ofHours(1)).toEpochMilli());
        // the clean-up moved to 11:00 + horizon; the waiting sign-in's timer is still there
        assertThat(h.numEventTimeTimers()).isEqualTo(2);
        h.processWatermark(T.plus(RULE.horizon()).toEpochMilli());
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark(T.plus(RULE.horizon()).plus(RULE.horizon()).toEpochMilli());
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aSignInIsAPojoToFlink() {
        assertThat(TypeInformation.of(SignIn.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
