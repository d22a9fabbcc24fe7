package io.vigil.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.bench.peers.Reference.Variant;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.RuleSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The work behind {@link io.vigil.bench.CorrelationPeers}. */
public final class Peers {

    static final String BF = "ssh-brute-force";
    static final String SEQ = "brute-force-then-success";
    static final Set<String> COMPARED = new LinkedHashSet<>(List.of(BF, SEQ));
    static final long SEED = 42;

    static final String VIGIL = "vigil";
    static final String VIGIL_2 = "vigil_2rules";
    static final String CEP = "flink-cep";
    static final String ESPER = "esper";

    private static final PrintStream OUT = System.out;

    private Peers() {}

    interface Engine {
        EngineRun run(int run) throws Exception;
    }

    public static int main(String[] args) throws Exception {
        long events = 1_000_000;
        int sources = 10_000;
        int runs = 3;
        boolean check = false;
        Path json = null;
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                    events = 100_000;
                    sources = 1_000;
                    runs = 1;
                }
                case "--check" -> check = true;
                case "--json" -> json = Path.of(args[++i]);
                default -> numbers.add(Long.parseLong(args[i].replace("_", "")));
            }
        }
        if (numbers.size() > 0) {
            events = numbers.get(0);
        }
        if (numbers.size() > 1) {
            sources = numbers.get(1).intValue();
        }
        if (numbers.size() > 2) {
            runs = numbers.get(2).intValue();
        }
        RuleSet pack = RuleSet.packaged();
        RuleSet two = only(COMPARED);
        if (check) {
            return check(pack, two) ? 0 : 1;
        }
        Map<String, Object> result = measure(pack, two, AuthStream.synthetic(sources, SEED, events), events, sources,
                runs, true);
        String brief = new ObjectMapper().writeValueAsString(brief(result));
        if (json != null) {
            Files.writeString(json, brief + "\n");
            OUT.println("JSON written to " + json);
        }
        OUT.println(brief);
        return 0;
    }

    /**
     * The packaged pack cut down to {@code ids}: each DRL file keeps its header (package,
     * imports, functions) and the blocks of those rules only, so Drools compiles and evaluates
     * just them (an agenda filter would still evaluate every rule's conditions); the pack's
     * fixtures of those rules run as for the packaged pack.
     */
    static RuleSet only(Set<String> ids) {
        List<RuleSource> kept = new ArrayList<>();
        for (RuleSource source : RuleSource.packaged()) {
            StringBuilder drl = new StringBuilder();
            boolean skipping = false;
            boolean any = false;
            for (String line : source.drl().split("\n", -1)) {
                if (line.startsWith("rule ")) {
                    int q1 = line.indexOf('"');
                    String id = line.substring(q1 + 1, line.indexOf('"', q1 + 1));
                    skipping = !ids.contains(id);
                    any |= !skipping;
                }
                if (!skipping) {
                    drl.append(line).append('\n');
                } else if (line.equals("end")) {
                    skipping = false;
                }
            }
            if (any) {
                kept.add(new RuleSource(source.file(), drl.toString()));
            }
        }
        RuleSet set = RuleSet.verified(kept);
        if (!set.active().keySet().equals(ids)) {
            throw new IllegalStateException("expected active rules " + ids + ", got " + set.active().keySet()
                    + " (problems: " + set.problems() + ")");
        }
        return set;
    }

    static Map<String, Engine> engines(RuleSet pack, RuleSet two, AuthStream stream, boolean withPack) {
        RuleMeta bf = two.rule(BF);
        RuleMeta seq = two.rule(SEQ);
        Map<String, Engine> engines = new LinkedHashMap<>();
        if (withPack) {
            engines.put(VIGIL, run -> VigilPeer.run(stream, pack, COMPARED));
        }
        engines.put(VIGIL_2, run -> VigilPeer.run(stream, two, COMPARED));
        engines.put(CEP, run -> CepPeer.run(stream, bf, seq));
        engines.put(ESPER, run -> EsperPeer.run(stream, bf, seq, run));
        return engines;
    }

    static String label(String engine) {
        return switch (engine) {
            case VIGIL -> "vigil-pack";
            case VIGIL_2 -> "vigil-2rules";
            default -> engine;
        };
    }

    /** Runs every engine {@code runs} times, interleaved, and compares their alerts. */
    static Map<String, Object> measure(RuleSet pack, RuleSet two, AuthStream stream, long events, int sources,
                                       int runs, boolean withPack) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        String java = System.getProperty("java.version");
        OUT.printf("Correlation peers: %,d events, %,d sources (seed %d), %d run(s); %d cores, Java %s%n", events,
                sources, SEED, runs, cores, java);
        OUT.printf("Vigil pack: %d active rules; vigil-2rules: %s%n", pack.active().size(), two.active().keySet());
        Map<String, Engine> engines = engines(pack, two, stream, withPack);
        Map<String, double[]> rates = new LinkedHashMap<>();
        Map<String, List<PeerAlert>> alerts = new LinkedHashMap<>();
        Map<String, Long> other = new LinkedHashMap<>();
        Map<String, Boolean> repeatable = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (Map.Entry<String, Engine> e : engines.entrySet()) {
                EngineRun r = e.getValue().run(run);
                rates.computeIfAbsent(e.getKey(), k -> new double[runs])[run] = r.eventsPerSecond();
                OUT.printf("  run %d %-13s %,12.0f events/s  %,7d compared alerts, %,8d other%n", run + 1,
                        label(e.getKey()), r.eventsPerSecond(), r.alerts().size(), r.otherAlerts());
                if (run == 0) {
                    alerts.put(e.getKey(), r.alerts());
                    other.put(e.getKey(), r.otherAlerts());
                    repeatable.put(e.getKey(), true);
                } else if (!r.alerts().equals(alerts.get(e.getKey()))) {
                    repeatable.put(e.getKey(), false);
                    OUT.printf("  WARNING: %s alerted differently in run %d%n", label(e.getKey()), run + 1);
                }
            }
        }
        long t0 = System.nanoTime();
        Map<Variant, Set<PeerAlert>> model = Reference.alerts(stream, two, COMPARED);
        OUT.printf("Reference model (Vigil's evaluation and Correlator without Flink, %d variants): %.1f s%n",
                Variant.values().length, (System.nanoTime() - t0) / 1e9);

        Map<String, Object> eps = new LinkedHashMap<>();
        Map<String, Object> min = new LinkedHashMap<>();
        Map<String, Object> max = new LinkedHashMap<>();
        OUT.println();
        OUT.printf("%-13s %14s %14s %14s   %16s %25s%n", "engine", "median ev/s", "min ev/s", "max ev/s", BF, SEQ);
        for (Map.Entry<String, double[]> e : rates.entrySet()) {
            double[] r = e.getValue().clone();
            Arrays.sort(r);
            eps.put(e.getKey(), Math.round(r[r.length / 2]));
            min.put(e.getKey(), Math.round(r[0]));
            max.put(e.getKey(), Math.round(r[r.length - 1]));
            List<PeerAlert> a = alerts.get(e.getKey());
            OUT.printf("%-13s %,14.0f %,14.0f %,14.0f   %,16d %,25d%n", label(e.getKey()), r[r.length / 2], r[0],
                    r[r.length - 1], AlertComparison.only(BF, a).size(), AlertComparison.only(SEQ, a).size());
        }
        OUT.printf("%-13s %14s %14s %14s   %,16d %,25d%n", "(reference)", "", "", "",
                AlertComparison.only(BF, model.get(Variant.VIGIL)).size(),
                AlertComparison.only(SEQ, model.get(Variant.VIGIL)).size());

        Map<String, Object> alertCounts = new LinkedHashMap<>();
        for (String rule : COMPARED) {
            Map<String, Object> perEngine = new LinkedHashMap<>();
            alerts.forEach((engine, a) -> perEngine.put(engine, AlertComparison.only(rule, a).size()));
            alertCounts.put(rule, perEngine);
        }

        // consistency of Vigil with itself and with the reference model
        Map<String, Object> checks = new LinkedHashMap<>();
        Set<PeerAlert> vigil2 = new TreeSet<>(alerts.get(VIGIL_2));
        boolean modelMatches = vigil2.equals(model.get(Variant.VIGIL));
        checks.put("vigil_2rules_equals_reference_model", modelMatches);
        if (withPack) {
            checks.put("vigil_pack_equals_vigil_2rules", vigil2.equals(new TreeSet<>(alerts.get(VIGIL))));
        }
        checks.put("repeatable_across_runs", repeatable);
        OUT.println();
        OUT.println("vigil-2rules alerts = reference model (Vigil semantics): " + yes(modelMatches));
        if (withPack) {
            OUT.println("vigil-pack alerts of the two rules = vigil-2rules: " + yes((Boolean) checks.get(
                    "vigil_pack_equals_vigil_2rules")));
        }

        Map<String, Object> differences = new LinkedHashMap<>();
        List<AlertComparison> comparisons = new ArrayList<>();
        for (String rule : COMPARED) {
            Map<String, Object> perPeer = new LinkedHashMap<>();
            for (String peer : List.of(CEP, ESPER)) {
                RuleMeta meta = two.rule(rule);
                AlertComparison c = AlertComparison.of(rule, meta.windowMs(), meta.suppressMs(), peer,
                        alerts.get(VIGIL_2), alerts.get(peer), model);
                comparisons.add(c);
                perPeer.put(peer, c.json());
            }
            differences.put(rule, perPeer);
        }
        print(comparisons);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("correlation_eps", eps);
        result.put("min", min);
        result.put("max", max);
        result.put("alerts", alertCounts);
        result.put("differences", differences);
        result.put("other_alerts", other);
        result.put("checks", checks);
        result.put("events", events);
        result.put("sources", sources);
        result.put("runs", runs);
        result.put("seed", SEED);
        result.put("out_of_orderness_ms", FlinkHarness.OUT_OF_ORDERNESS.toMillis());
        result.put("machine", Map.of("cores", cores, "java", java));
        result.put("_alerts", alerts);
        result.put("_model", model);
        return result;
    }

    /** The result without the alert lists kept for {@link #check}. */
    static Map<String, Object> brief(Map<String, Object> result) {
        Map<String, Object> m = new LinkedHashMap<>(result);
        m.keySet().removeIf(k -> k.startsWith("_"));
        return m;
    }

    static void print(List<AlertComparison> comparisons) {
        OUT.println();
        OUT.println("Alert sets against vigil-2rules (rule, group key, time of the triggering event):");
        for (AlertComparison c : comparisons) {
            OUT.printf("  %-24s %-9s vigil %,6d  peer %,6d  equal %,6d  only vigil %,5d  only peer %,5d  -> %s%n",
                    c.rule(), c.peer(), c.vigil(), c.peerCount(), c.equal(), c.onlyVigil(), c.onlyPeer(), c.verdict());
            c.classes().forEach((cls, n) -> {
                OUT.printf("      %,6d  %s%n", n, cls);
                for (String example : c.examples().get(cls)) {
                    OUT.println("              e.g. " + example);
                }
            });
        }
    }

    private static String yes(boolean b) {
        return b ? "yes" : "NO";
    }

    // ---------------------------------------------------------------------------------- --check

    @SuppressWarnings("unchecked")
    static boolean check(RuleSet pack, RuleSet two) throws Exception {
        boolean ok = true;
        OUT.println("== 1. Hand-worked scenarios (each on its own key)");
        CheckScenarios.DESCRIPTIONS.forEach(d -> OUT.println("  " + d));
        AuthStream scripted = CheckScenarios.stream();
        Map<String, Engine> engines = engines(pack, two, scripted, false);
        Map<String, List<PeerAlert>> expected = Map.of(VIGIL_2, CheckScenarios.VIGIL, ESPER, CheckScenarios.VIGIL,
                CEP, CheckScenarios.NO_SUPPRESSION);
        for (Map.Entry<String, Engine> e : engines.entrySet()) {
            ok &= expect(label(e.getKey()), e.getValue().run(0).alerts(), expected.get(e.getKey()));
        }
        Map<Variant, Set<PeerAlert>> model = Reference.alerts(scripted, two, COMPARED);
        ok &= expect("reference model, Vigil semantics", model.get(Variant.VIGIL), CheckScenarios.VIGIL);
        ok &= expect("reference model, no suppression", model.get(Variant.NO_SUPPRESSION),
                CheckScenarios.NO_SUPPRESSION);

        long events = 200_000;
        int sources = 200;
        OUT.println();
        OUT.printf("== 2. A small dense synthetic stream (%,d events, %,d sources: many alerts of both rules)%n",
                events, sources);
        AuthStream stream = AuthStream.synthetic(sources, SEED, events);
        Map<String, Object> result = measure(pack, two, stream, events, sources, 1, true);
        Map<String, List<PeerAlert>> alerts = (Map<String, List<PeerAlert>>) result.get("_alerts");
        Map<String, Object> checks = (Map<String, Object>) result.get("checks");
        ok &= verify("vigil-2rules = reference model", (Boolean) checks.get("vigil_2rules_equals_reference_model"));
        ok &= verify("vigil-pack = vigil-2rules on the two rules",
                (Boolean) checks.get("vigil_pack_equals_vigil_2rules"));
        Map<String, Object> differences = (Map<String, Object>) result.get("differences");
        for (String rule : COMPARED) {
            Map<String, Object> perPeer = (Map<String, Object>) differences.get(rule);
            ok &= verify(rule + ": esper equal to vigil",
                    "equal".equals(((Map<String, Object>) perPeer.get(ESPER)).get("verdict")));
            Object cep = ((Map<String, Object>) perPeer.get(CEP)).get("explained_by");
            ok &= verify(rule + ": flink-cep differs by no suppression only (or equal)",
                    Variant.NO_SUPPRESSION.id().equals(cep) || Variant.VIGIL.id().equals(cep));
        }
        ok &= verify("at least one alert per rule",
                !AlertComparison.only(BF, alerts.get(VIGIL_2)).isEmpty()
                        && !AlertComparison.only(SEQ, alerts.get(VIGIL_2)).isEmpty());

        OUT.println();
        OUT.println("== 3. Alerts to verify by hand: each with its key's hits of the rule in the window before it");
        for (String rule : COMPARED) {
            RuleMeta meta = two.rule(rule);
            java.util.NavigableSet<PeerAlert> all = AlertComparison.only(rule, alerts.get(VIGIL_2));
            for (PeerAlert a : all.stream().limit(2).toList()) {
                PeerAlert previous = all.lower(a);
                long suppressedUntil = previous != null && previous.key().equals(a.key())
                        ? previous.time() + meta.suppressMs() : 0;
                OUT.println("  " + a + "   (window " + meta.windowMs() / 1000 + " s, threshold " + meta.threshold()
                        + ", suppression " + meta.suppressMs() / 1000 + " s)");
                Reference.timeline(stream, two, rule, a.key(), a.time() - meta.windowMs(), a.time(), suppressedUntil)
                        .forEach(OUT::println);
            }
        }
        OUT.println();
        OUT.println(ok ? "CHECK PASSED" : "CHECK FAILED");
        return ok;
    }

    private static boolean expect(String what, java.util.Collection<PeerAlert> got, List<PeerAlert> want) {
        Set<PeerAlert> g = new TreeSet<>(got);
        Set<PeerAlert> w = new TreeSet<>(want);
        boolean ok = g.equals(w);
        OUT.printf("  %-36s %s (%d alerts)%n", what, ok ? "as worked out" : "DIFFERS", g.size());
        if (!ok) {
            AlertComparison.symmetricDifference(g, w).forEach(a -> OUT.println("      " + (g.contains(a)
                    ? "unexpected: " : "missing:    ") + a));
        }
        return ok;
    }

    private static boolean verify(String what, boolean ok) {
        OUT.printf("  %-60s %s%n", what, ok ? "ok" : "FAILED");
        return ok;
    }
}
