package io.vigil.jobs.live;

import static io.vigil.jobs.live.TestBundles.KEYS;
import static io.vigil.jobs.live.TestBundles.push;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleSource;
import io.vigil.rules.bundle.RuleBundle;
import io.vigil.rules.verify.RuleSet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live rules in the detection topology, on a MiniCluster at parallelism 2, as a replay runs it
 * (bounded, BATCH): a bundle switches the packs at its recorded event time; a rule kept with its
 * id and version counts across the switch and alerts at exactly the event it would without the
 * push; a new version starts afresh; a removed rule no longer alerts; a refused bundle changes
 * nothing; a shadow pack alerts on its own stream only; a later record (a rollback) overrides.
 */
class LiveDetectionTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    /** Where the bundles of these tests switch: between the third and the fourth failure. */
    static final Instant SWITCH = T0.plusSeconds(12);
    static final Instant PUSHED = Instant.parse("2024-05-01T09:00:00Z");

    static RuleSet local;

    @TempDir
    Path dir;

    @BeforeAll
    static void localRules() {
        local = RuleSet.verified(List.of(new RuleSource("test/local.drl",
                TestBundles.HEADER + TestBundles.fiveFailures(1, 5))));
        assertThat(local.problems()).isEmpty();
    }

    /** Failures of 10.0.0.1 every 5 s from T0 ({@code n} of them), and successes at T0+2 s and T0+40 s. */
    static List<SecurityEvent> events(int n) {
        List<SecurityEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(T0.plusSeconds(5L * i), "failure", i));
        }
        out.add(event(T0.plusSeconds(2), "success", 100));
        out.add(event(T0.plusSeconds(40), "success", 101));
        return out;
    }

    static SecurityEvent event(Instant t, String outcome, long offset) {
        return SecurityEvent.builder().timestamp(t).eventAction("login").eventOutcome(outcome).sourceIp("10.0.0.1")
                .userName("root").origin(Origin.kafka("auth", 0, offset)).build();
    }

    /** Runs the events and control records; lines "live|shadow RULE START ID" and "outcome ID OUTCOME STEP". */
    static List<String> run(List<SecurityEvent> events, List<ControlRecord> records) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        List<ControlInput> inputs = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            inputs.add(ControlInput.of(records.get(i), i));
        }
        DataStream<ControlInput> control = inputs.isEmpty()
                ? env.fromData(TypeInformation.of(ControlInput.class), ControlInput.of(ControlRecord.of("clear",
                        ControlRecord.SHADOW, "none", "tester", PUSHED, PUSHED, null), 0))
                : env.fromData(TypeInformation.of(ControlInput.class), inputs.toArray(new ControlInput[0]));
        DataStream<SecurityEvent> source = env.fromData(TypeInformation.of(SecurityEvent.class),
                events.toArray(new SecurityEvent[0]));
        LiveDetection.LiveDetected live = LiveDetection.build(source,
                DetectionSettings.of(local, Duration.ofSeconds(1), Duration.ofHours(1)), control, KEYS.getPublic());
        DataStream<String> lines = live.detected().alerts().map(a -> line("live", a)).returns(Types.STRING)
                .union(live.shadowAlerts().map(a -> line("shadow", a)).returns(Types.STRING))
                .union(live.outcomes().map(o -> "outcome " + o.recordId() + " " + o.outcome() + " " + o.step())
                        .returns(Types.STRING));
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it = lines.executeAndCollect("live detection test")) {
            it.forEachRemaining(out::add);
        }
        out.sort(null);
        return out;
    }

    static String line(String slot, Alert a) {
        return slot + " " + a.ruleId() + " " + a.firstEventTime() + " " + a.id() + " " + a.lastEventTime();
    }

    /**
     * The distinct alert lines: a rule that suppresses emits its alert again, same id, when the
     * suppression ends (with the count and last time of what it suppressed).
     */
    static List<String> alerts(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("outcome")).distinct().collect(Collectors.toList());
    }

    @Test
    void aRuleKeptWithItsIdAndVersionCountsAcrossTheSwitchAndAlertsAtTheSameEvent() throws Exception {
        List<String> without = run(events(5), List.of());
        assertThat(alerts(without)).hasSize(1).allMatch(l -> l.startsWith("live five-failures 2024-05-01T10:00:00Z"));

        byte[] keep = TestBundles.bundle(dir.resolve("keep"), "b1", 1, 5, true);
        List<String> with = run(events(5), List.of(push(ControlRecord.LIVE, "b1", keep, PUSHED, SWITCH)));
        // the brute force counted three failures before the switch and two after: the same alert, same id
        assertThat(alerts(with)).contains(alerts(without).get(0));
        // the bundle's new rule applies from the switch on: the success at +40 s, not the one at +2 s
        assertThat(alerts(with)).filteredOn(l -> l.contains("any-success")).hasSize(1)
                .allMatch(l -> l.contains("2024-05-01T10:00:40Z"));
        assertThat(with).filteredOn(l -> l.startsWith("outcome")).containsExactly(
                "outcome live-b1-push-" + PUSHED.toEpochMilli() + " active null");
    }

    @Test
    void aNewVersionOfARuleStartsAfreshAtTheSwitch() throws Exception {
        byte[] v2 = TestBundles.bundle(dir.resolve("v2"), "b2", 2, 5, false);
        List<String> with = run(events(8), List.of(push(ControlRecord.LIVE, "b2", v2, PUSHED, SWITCH)));
        // the failures before the switch do not count for version 2: its five are those from +15 s
        assertThat(alerts(with)).isNotEmpty().allMatch(l -> l.startsWith("live five-failures 2024-05-01T10:00:15Z"));
        List<String> without = run(events(8), List.of());
        assertThat(alerts(without)).isNotEmpty().allMatch(l -> l.startsWith("live five-failures 2024-05-01T10:00:00Z"));
    }

    @Test
    void aRuleTheBundleRemovesNoLongerAlerts() throws Exception {
        byte[] only = TestBundles.bundle(dir.resolve("only"), "b3", 1, 0, true);
        List<String> with = run(events(8), List.of(push(ControlRecord.LIVE, "b3", only, PUSHED, SWITCH)));
        assertThat(alerts(with)).noneMatch(l -> l.contains("five-failures"));
        assertThat(alerts(with)).filteredOn(l -> l.contains("any-success")).hasSize(1);
    }

    @Test
    void aBundlesExceptionsApplyFromItsSwitchAndExpireByEventTime() throws Exception {
        Path d = TestBundles.directory(dir.resolve("except"), "e1", TestBundles.fiveFailures(1, 5), false, 5);
        java.nio.file.Files.writeString(d.resolve(RuleBundle.EXCEPTIONS), """
                - id: lab
                  rule: five-failures
                  field: source.ip
                  values: ["10.0.0.1"]
                  reason: the lab's password auditor
                  author: soc
                  expires: 2024-05-01T10:00:30Z
                """);
        byte[] bundle = RuleBundle.fromDirectory(d).signed(KEYS.getPrivate()).toBytes();
        // failures every 5 s up to +45 s: the ones at +15 to +25 s are excepted (after the switch, before
        // the expiry), so five failures within 60 s only come together from +30 s on
        List<String> with = run(events(10), List.of(push(ControlRecord.LIVE, "e1", bundle, PUSHED, SWITCH)));
        assertThat(alerts(run(events(10), List.of()))).anyMatch(l -> l.endsWith(" 2024-05-01T10:00:20Z"));
        assertThat(alerts(with)).allMatch(l -> l.startsWith("live five-failures 2024-05-01T10:00:00Z"))
                .anyMatch(l -> l.endsWith(" 2024-05-01T10:00:35Z"))
                .noneMatch(l -> l.endsWith(" 2024-05-01T10:00:20Z"));
    }

    @Test
    void aRefusedBundleChangesNothing() throws Exception {
        List<String> without = run(events(5), List.of());
        byte[] otherKey = RuleBundle.fromDirectory(TestBundles.directory(dir.resolve("other"), "b4",
                TestBundles.fiveFailures(2, 3), true, 3)).signed(TestBundles.OTHER_KEYS.getPrivate()).toBytes();
        byte[] broken = RuleBundle.fromDirectory(TestBundles.directory(dir.resolve("broken"), "b5",
                TestBundles.fiveFailures(2, 3).replace("eventOutcome ==", "eventOutcome =!="), false, 3))
                .signed(KEYS.getPrivate()).toBytes();
        // a threshold of four against fixtures written for five: "four failures do not fire" fails
        byte[] failing = RuleBundle.fromDirectory(TestBundles.directory(dir.resolve("failing"), "b6",
                TestBundles.fiveFailures(2, 4), false, 5)).signed(KEYS.getPrivate()).toBytes();
        List<String> with = run(events(5), List.of(
                push(ControlRecord.LIVE, "b4", otherKey, PUSHED, T0),
                push(ControlRecord.LIVE, "b5", broken, PUSHED.plusSeconds(1), T0),
                push(ControlRecord.LIVE, "b6", failing, PUSHED.plusSeconds(2), T0)));
        assertThat(alerts(with)).isEqualTo(alerts(without));
        assertThat(with).filteredOn(l -> l.startsWith("outcome")).containsExactly(
                "outcome live-b4-push-" + PUSHED.toEpochMilli() + " refused signature",
                "outcome live-b5-push-" + PUSHED.plusSeconds(1).toEpochMilli() + " refused compile",
                "outcome live-b6-push-" + PUSHED.plusSeconds(2).toEpochMilli() + " refused fixtures");
    }

    @Test
    void aShadowPackAlertsOnItsOwnStreamAndTheLiveAlertsStayTheSame() throws Exception {
        List<String> without = run(events(8), List.of());
        byte[] three = TestBundles.bundle(dir.resolve("three"), "s1", 2, 3, false);
        List<String> with = run(events(8), List.of(push(ControlRecord.SHADOW, "s1", three, PUSHED, T0)));
        assertThat(alerts(with)).filteredOn(l -> l.startsWith("live")).isEqualTo(alerts(without));
        // three failures in 60 s from +0 s; the later ones fall in its suppression
        assertThat(alerts(with)).filteredOn(l -> l.startsWith("shadow")).extracting(l -> l.split(" ")[2])
                .containsOnly("2024-05-01T10:00:00Z");
        assertThat(alerts(with)).filteredOn(l -> l.startsWith("shadow")).doesNotContainAnyElementsOf(alerts(without));
    }

    @Test
    void aLaterRecordOverridesFromItsTimeAndAVersionNamesOneContent() throws Exception {
        List<String> without = run(events(5), List.of());
        byte[] b1 = TestBundles.bundle(dir.resolve("b1"), "b1", 1, 5, false);
        byte[] b2 = TestBundles.bundle(dir.resolve("b2"), "b2", 2, 5, false);
        byte[] b2other = TestBundles.bundle(dir.resolve("b2other"), "b2", 3, 4, false);
        List<String> with = run(events(5), List.of(
                push(ControlRecord.LIVE, "b1", b1, PUSHED, T0.minusSeconds(3600)),
                push(ControlRecord.LIVE, "b2", b2, PUSHED.plusSeconds(1), SWITCH),
                push(ControlRecord.LIVE, "b2", b2other, PUSHED.plusSeconds(2), SWITCH),
                ControlRecord.of("rollback", ControlRecord.LIVE, "b1", "tester", PUSHED.plusSeconds(3),
                        SWITCH.plusMillis(1), b1)));
        // b2 applied to no event (the rollback to b1 follows it at once): b1's rule counted on
        assertThat(alerts(with)).isEqualTo(alerts(without));
        assertThat(with).filteredOn(l -> l.startsWith("outcome")).extracting(l -> l.substring(l.indexOf(' ') + 1))
                .containsExactlyInAnyOrder(
                        "live-b1-push-" + PUSHED.toEpochMilli() + " active null",
                        "live-b2-push-" + PUSHED.plusSeconds(1).toEpochMilli() + " active null",
                        "live-b2-push-" + PUSHED.plusSeconds(2).toEpochMilli() + " refused version",
                        "live-b1-rollback-" + PUSHED.plusSeconds(3).toEpochMilli() + " active null");
    }
}
