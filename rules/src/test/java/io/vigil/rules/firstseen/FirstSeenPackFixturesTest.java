package io.vigil.rules.firstseen;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.fixtures.FixtureRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The packaged first-seen rules read without problems, and every one passes the fixtures beside it. */
class FirstSeenPackFixturesTest {

    @Test
    void thePackagedRulesAreReadFromTheirFiles() {
        assertThat(FirstSeenRules.packaged()).extracting(FirstSeenRule::id).containsExactly(
                "first-admin-logon-on-host", "first-country-for-user", "new-parent-process-for-host");
        assertThat(FirstSeenRules.packaged()).allSatisfy(r -> assertThat(r.file())
                .isEqualTo(FirstSeenRules.PACKAGED_DIR + "/" + r.id() + FirstSeenRules.SUFFIX));
    }

    @TestFactory
    Stream<DynamicTest> everyRulePassesItsFixtures() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (FirstSeenRule rule : FirstSeenRules.packaged()) {
            FixtureRunner.RuleReport report = FirstSeenFixtures.run(rule, FirstSeenFixtures.packaged(rule));
            tests.add(DynamicTest.dynamicTest(rule.id() + ": has fixtures that must and must not fire",
                    () -> assertThat(report.problem()).isNull()));
            report.results().forEach(r -> tests.add(DynamicTest.dynamicTest(rule.id() + ": " + r.fixture().name(),
                    () -> assertThat(r.passed()).as(r.detail()).isTrue())));
        }
        return tests.stream();
    }
}
