package io.vigil.jobs.live;

import io.vigil.rules.bundle.RuleBundle;
import io.vigil.rules.fixtures.Fixture;
import io.vigil.rules.fixtures.FixtureLoader;
import io.vigil.rules.fixtures.FixtureLookup;
import java.io.IOException;
import java.util.List;

/**
 * The fixtures of a bundle's DRL rules: {@code <rule-id>.fixtures.json} beside each rule's entry.
 * Required: a rule pushed to a running job must show it fires and that it does not fire
 * (docs/architecture.md, invariant 5), whatever the directory it was bundled from.
 */
record BundleFixtures(RuleBundle bundle) implements FixtureLookup {

    @Override
    public List<Fixture> fixtures(String ruleFile, String ruleId) throws IOException {
        String text = bundle.fixturesText(ruleFile, ruleId);
        if (text == null) {
            return List.of();
        }
        String name = ruleFile.substring(0, ruleFile.lastIndexOf('/') + 1) + ruleId + ".fixtures.json";
        return FixtureLoader.parse(name, text);
    }

    @Override
    public boolean required() {
        return true;
    }
}
