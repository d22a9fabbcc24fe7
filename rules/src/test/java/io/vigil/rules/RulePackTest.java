package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compilation and validation of rule packs: what is wrong is reported, and never activated. */
class RulePackTest {

    private static final String HEADER = """
            package test.pack;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            """;

    private static String rule(String id, String meta, String when) {
        return "rule \"" + id + "\"\n" + meta + "\nwhen\n    $e : SecurityEvent(" + when + ")\nthen\n"
                + "    insert(new Signal($e));\nend\n";
    }

    private static final String GOOD_META = """
                @name("Log cleared") @description("d") @severity("high") @riskScore(70)
                @tactics("TA0005") @techniques("T1070.001") @shape("single") @groupBy("host.name")""";

    private static SecurityEvent event(String action) {
        return SecurityEvent.builder().timestamp(Instant.parse("2024-01-01T00:00:00Z")).eventAction(action)
                .hostName("ws1").origin(Origin.file("x", 1)).build();
    }

    @Test
    void aFileThatDoesNotCompileIsReportedWithLineAndRuleAndLeftOutWhole() {
        String broken = HEADER + rule("fine-in-broken-file", GOOD_META, "eventAction == \"a\"")
                + rule("broken-rule", GOOD_META, "noSuchField == 1");
        String good = HEADER.replace("test.pack", "test.good") + rule("good-rule", GOOD_META, "eventAction == \"b\"");
        RulePack pack = RulePack.compile(List.of(new RuleSource("packs/broken.drl", broken),
                new RuleSource("packs/good.drl", good)));

        assertThat(pack.rules()).containsOnlyKeys("good-rule");
        assertThat(pack.problems()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.file()).isEqualTo("packs/broken.drl");
            assertThat(p.ruleId()).isEqualTo("broken-rule");
            assertThat(p.line()).isEqualTo(broken.lines().toList().indexOf("    $e : SecurityEvent(noSuchField == 1)") + 1);
            assertThat(p.message()).contains("does not compile");
        });
        try (RuleEvaluator evaluator = pack.newEvaluator()) {
            assertThat(evaluator.evaluate(event("b"))).extracting(RuleHit::ruleId).containsExactly("good-rule");
            assertThat(evaluator.evaluate(event("a"))).isEmpty();
        }
    }

    @Test
    void invalidMetadataIsReportedAndTheRuleNeverFires() {
        String drl = HEADER
                + rule("no-severity", GOOD_META.replace("@severity(\"high\")", "@severity(\"urgent\")"), "eventAction == \"a\"")
                + rule("Bad_Id", GOOD_META, "eventAction == \"a\"")
                + rule("no-window", GOOD_META.replace("@shape(\"single\")", "@shape(\"threshold\")"), "eventAction == \"a\"")
                + rule("bad-attack", GOOD_META.replace("T1070.001", "credential dumping"), "eventAction == \"a\"")
                + rule("ok-rule", GOOD_META, "eventAction == \"a\"");
        RulePack pack = RulePack.compile(List.of(new RuleSource("meta.drl", drl)));
        assertThat(pack.rules()).containsOnlyKeys("ok-rule");
        assertThat(pack.problems()).extracting(RuleProblem::ruleId)
                .contains("no-severity", "Bad_Id", "no-window", "bad-attack");
        assertThat(pack.problems()).extracting(RuleProblem::toString)
                .anyMatch(s -> s.contains("@severity must be one of"))
                .anyMatch(s -> s.contains("not kebab-case"))
                .anyMatch(s -> s.contains("@window is required"))
                .anyMatch(s -> s.contains("not an ATT&CK technique id"));
        try (RuleEvaluator evaluator = pack.newEvaluator()) {
            assertThat(evaluator.evaluate(event("a"))).extracting(RuleHit::ruleId).containsExactly("ok-rule");
        }
    }

    @Test
    void metadataIsDeclaredOnceAndReadBack() {
        RuleMeta meta = RulePack.packaged().rule("ssh-brute-force");
        assertThat(meta.shape()).isEqualTo(Shape.THRESHOLD);
        assertThat(meta.groupBy()).containsExactly("source.ip");
        assertThat(meta.windowMs()).isEqualTo(60_000);
        assertThat(meta.threshold()).isEqualTo(5);
        assertThat(meta.suppressMs()).isEqualTo(60_000);
        assertThat(meta.techniques()).containsExactly("T1110.001");
        assertThat(meta.file()).isEqualTo("io/vigil/rules/ssh/ssh.drl");
        assertThat(RuleMeta.parseDuration("10m")).isEqualTo(600_000);
    }

    @Test
    void equalSourcesShareOneCompilationWhoseSessionsWorkOnSeveralThreads() throws Exception {
        String drl = HEADER.replace("test.pack", "test.shared") + rule("shared-rule", GOOD_META, "eventAction == \"s\"");
        RulePack first = RulePack.compile(List.of(new RuleSource("packs/shared.drl", drl)));
        // equal, not the same objects: what a task deserializes from the job graph
        RulePack again = RulePack.compile(List.of(new RuleSource(new String("packs/shared.drl"), new String(drl))));
        assertThat(again).isSameAs(first);
        RulePack other = RulePack.compile(List.of(new RuleSource("packs/shared.drl", drl.replace("\"s\"", "\"t\""))));
        assertThat(other).isNotSameAs(first);

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Long>> counts = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                counts.add(pool.submit(() -> {
                    long hits = 0;
                    try (RuleEvaluator evaluator = again.newEvaluator()) {
                        for (int i = 0; i < 2_000; i++) {
                            hits += evaluator.evaluate(event(i % 2 == 0 ? "s" : "t")).size();
                        }
                    }
                    return hits;
                }));
            }
            for (java.util.concurrent.Future<Long> c : counts) {
                assertThat(c.get()).isEqualTo(1_000L);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
