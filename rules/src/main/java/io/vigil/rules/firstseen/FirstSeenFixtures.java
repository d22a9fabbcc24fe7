package io.vigil.rules.firstseen;

import io.vigil.model.SecurityEvent;
import io.vigil.rules.fixtures.Fixture;
import io.vigil.rules.fixtures.FixtureLoader;
import io.vigil.rules.fixtures.FixtureRunner.Result;
import io.vigil.rules.fixtures.FixtureRunner.RuleReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a first-seen rule's fixtures ({@code <id>.fixtures.json} beside its file, the format of the
 * DRL rules' fixtures): each fixture's events, in the order written, through the rule with a fresh
 * history per key ({@link FirstSeenHistory}, the job's logic); every {@link FirstSeenHistory.Verdict#NEW}
 * is an alert, counted and compared by group key.
 */
public final class FirstSeenFixtures {

    private FirstSeenFixtures() {}

    /** The fixtures of a packaged rule, from beside its file; empty when there are none. */
    public static List<Fixture> packaged(FirstSeenRule rule) throws IOException {
        String dir = rule.file().substring(0, rule.file().lastIndexOf('/'));
        String resource = dir + "/" + rule.id() + ".fixtures.json";
        URL url = FirstSeenFixtures.class.getClassLoader().getResource(resource);
        if (url == null) {
            return List.of();
        }
        try (InputStream in = url.openStream()) {
            return FixtureLoader.parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The group keys of the alerts {@code rule} raises on {@code events}, in order. */
    public static List<String> alerts(FirstSeenRule rule, List<SecurityEvent> events) throws Exception {
        Map<String, MemoryStore> histories = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (SecurityEvent e : events) {
            if (!rule.accepts(e)) {
                continue;
            }
            Tuple key = rule.key(e);
            Tuple value = rule.value(e);
            if (key == null || value == null) {
                continue;
            }
            MemoryStore store = histories.computeIfAbsent(key.encoded(), k -> new MemoryStore());
            if (FirstSeenHistory.observe(rule, store, value.encoded(), e.timestamp().toEpochMilli())
                    == FirstSeenHistory.Verdict.NEW) {
                keys.add(FirstSeenRule.groupKey(key, value));
            }
        }
        return keys;
    }

    /**
     * Runs {@code fixtures} of {@code rule} (a rule without a retention of its own keeps values
     * {@link FirstSeenRule#DEFAULT_RETENTION_MS}): passes as the DRL rules' fixtures do.
     */
    public static RuleReport run(FirstSeenRule declared, List<Fixture> fixtures) {
        FirstSeenRule rule = declared.withDefaultRetention(FirstSeenRule.DEFAULT_RETENTION_MS);
        if (fixtures.stream().noneMatch(Fixture::mustFire) || fixtures.stream().allMatch(Fixture::mustFire)) {
            return new RuleReport(rule.id(), List.of(), "needs at least one fixture that must fire and one that must not");
        }
        List<Result> results = new ArrayList<>();
        for (Fixture f : fixtures) {
            List<String> keys;
            try {
                keys = alerts(rule, f.events());
            } catch (Exception e) {
                results.add(new Result(f, false, "throws: " + e));
                continue;
            }
            List<String> sorted = keys.stream().sorted().toList();
            boolean countOk = keys.size() == f.alerts();
            boolean keysOk = f.groupKeys().isEmpty() || sorted.equals(f.groupKeys().stream().sorted().toList());
            String detail = "expected " + f.alerts() + " alert(s)"
                    + (f.groupKeys().isEmpty() ? "" : " for " + f.groupKeys())
                    + ", got " + keys.size() + (keys.isEmpty() ? "" : " for " + sorted);
            results.add(new Result(f, countOk && keysOk, detail));
        }
        return new RuleReport(rule.id(), results, null);
    }
}
