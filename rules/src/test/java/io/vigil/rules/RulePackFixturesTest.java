package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.fixtures.FixtureRunner;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The packaged pack compiles whole, and every rule passes the fixtures beside it. */
class RulePackFixturesTest {

    private static RulePack pack;

    @BeforeAll
    static void compile() {
        pack = RulePack.packaged();
    }

    @Test
    void thePackagedPackCompilesWithoutProblems() {
        assertThat(pack.problems()).isEmpty();
        assertThat(pack.rules()).containsKey("ssh-brute-force");
    }

    @TestFactory
    Stream<DynamicTest> everyRulePassesItsFixtures() throws Exception {
        List<FixtureRunner.RuleReport> reports = FixtureRunner.runPackaged(pack);
        assertThat(reports).hasSameSizeAs(pack.rules().values());
        return reports.stream().flatMap(report -> {
            Stream<DynamicTest> coverage = Stream.of(DynamicTest.dynamicTest(report.ruleId() + ": has fixtures that must and must not fire",
                    () -> assertThat(report.problem()).isNull()));
            return Stream.concat(coverage, report.results().stream().map(r -> DynamicTest.dynamicTest(
                    report.ruleId() + ": " + r.fixture().name(),
                    () -> assertThat(r.passed()).as(r.detail()).isTrue())));
        });
    }
}
