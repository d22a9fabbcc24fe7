package io.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RulePack;
import io.vigil.rules.fixtures.LocalCorrelation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generator: deterministic, decodable by Vigil's own decoders, and detected by the rule pack. */
class SimulationGeneratorTest {

    private static final Instant START = Instant.parse("2024-11-20T08:00:00Z");

    private static RulePack pack;

    @BeforeAll
    static void loadRules() {
        pack = RulePack.packaged();
    }

    private static List<GeneratedRecord> generate(ScenarioGenerator g, int count) {
        List<GeneratedRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(g.next());
        }
        return records;
    }

    /** Decodes every record as a consumer would (the record's own time as reference); no failure allowed. */
    private static List<SecurityEvent> decode(List<GeneratedRecord> records) {
        DecoderRegistry registry = new DecoderRegistry(DecoderOptions.defaults());
        List<SecurityEvent> events = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long n = 0;
        for (GeneratedRecord r : records) {
            n++;
            RawRecord raw = new RawRecord(r.bytes(), Origin.kafka("vigil.raw." + r.format(), 0, n), r.format(), null,
                    r.time(), -1);
            DecodeResult result = registry.decode(raw);
            if (!result.ok()) {
                failures.add(result.error() + ": " + r.text());
            } else {
                events.addAll(result.events());
            }
        }
        assertThat(failures).isEmpty();
        return events;
    }

    @Test
    void sameSeedSameBytes() {
        List<GeneratedRecord> a = generate(new ScenarioGenerator(42, START, 500, 50), 5_000);
        List<GeneratedRecord> b = generate(new ScenarioGenerator(42, START, 500, 50), 5_000);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).format()).isEqualTo(b.get(i).format());
            assertThat(a.get(i).time()).isEqualTo(b.get(i).time());
            assertThat(a.get(i).bytes()).isEqualTo(b.get(i).bytes());
        }
        List<GeneratedRecord> other = generate(new ScenarioGenerator(43, START, 500, 50), 5_000);
        assertThat(other.stream().map(GeneratedRecord::text).toList())
                .isNotEqualTo(a.stream().map(GeneratedRecord::text).toList());
    }

    @Test
    void eventTimeAdvancesWithTheRate() {
        ScenarioGenerator g = new ScenarioGenerator(1, START, 4, 10);
        List<GeneratedRecord> records = generate(g, 9);
        assertThat(records.get(0).time()).isEqualTo(START);
        assertThat(records.get(1).time()).isEqualTo(START.plusMillis(250));
        assertThat(records.get(8).time()).isEqualTo(START.plusSeconds(2));
        assertThat(g.nextTime()).isEqualTo(START.plusMillis(2250));
        assertThat(g.records()).isEqualTo(9);
    }

    @Test
    void everyRecordDecodesAndEveryScenarioRaisesItsAlerts() {
        ScenarioGenerator g = new ScenarioGenerator(7, START, 100, 100); // 5 minutes of event time
        List<GeneratedRecord> records = generate(g, 30_000);
        assertThat(records).extracting(GeneratedRecord::format).containsOnly("syslog", "windows", "access");
        assertThat(records.stream().map(GeneratedRecord::format).distinct()).hasSize(3);

        List<SecurityEvent> events = decode(records);
        assertThat(events.size()).isGreaterThanOrEqualTo(records.size());

        Map<Scenario, Integer> injected = g.injectedCounts();
        assertThat(injected.values()).allSatisfy(n -> assertThat(n).isPositive());

        List<Alert> alerts = LocalCorrelation.run(pack, pack.newEvaluator(), events);
        Map<String, Long> byRule = alerts.stream()
                .collect(Collectors.groupingBy(Alert::ruleId, TreeMap::new, Collectors.counting()));
        Set<String> expected = injected.keySet().stream().flatMap(s -> s.rules().stream()).collect(Collectors.toSet());
        assertThat(byRule.keySet()).containsAll(expected);
        // nothing the scenarios do not explain
        assertThat(byRule.keySet()).isSubsetOf(expected);

        // each injected attack's actor is what the alerts name
        Set<String> bruteForceIps = g.injected().stream().filter(i -> i.scenario() == Scenario.SSH_BRUTE_FORCE)
                .map(Injection::actor).collect(Collectors.toSet());
        Set<String> alertedIps = alerts.stream().filter(a -> a.ruleId().equals("ssh-brute-force"))
                .map(Alert::groupKey).collect(Collectors.toSet());
        assertThat(alertedIps).containsAll(bruteForceIps);
    }

    @Test
    void benignTrafficRaisesNoAlert() {
        ScenarioGenerator g = new ScenarioGenerator(11, START, 50, 0);
        List<GeneratedRecord> records = generate(g, 30_000); // 10 minutes of event time
        List<SecurityEvent> events = decode(records);
        assertThat(g.injected()).isEmpty();
        List<Alert> alerts = LocalCorrelation.run(pack, pack.newEvaluator(), events);
        assertThat(alerts).extracting(Alert::ruleId).isEmpty();
    }
}
