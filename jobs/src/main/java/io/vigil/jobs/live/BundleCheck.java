package io.vigil.jobs.live;

import io.vigil.jobs.sigma.RegressionTree;
import io.vigil.jobs.sigma.SigmaRegression;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleProblem;
import io.vigil.rules.RuleSource;
import io.vigil.rules.bundle.BundleException;
import io.vigil.rules.bundle.BundleManifest;
import io.vigil.rules.bundle.RuleBundle;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.io.IOException;
import java.io.Serializable;
import java.security.PublicKey;
import java.util.List;

/**
 * Everything a bundle must pass before a job runs it, in order: the archive and manifest, the
 * signature, the exceptions, compilation of every rule, every rule's fixtures, and the Sigma
 * regression samples it carries. The first step that fails refuses the whole bundle with its
 * reason; the pack that was active stays (invariant 5).
 *
 * <p>CONTRACT (issue 16): the helper implementing bundles completes the steps (fixtures from the
 * bundle, regression samples); the signature of {@link #check} and {@link Outcome} stay.
 */
public final class BundleCheck {

    private BundleCheck() {}

    /**
     * The result of a check.
     *
     * @param accepted whether every step passed
     * @param step the step that refused the bundle ({@link BundleException#step()}), null when accepted
     * @param reason why it was refused, null when accepted
     * @param manifest the bundle's manifest, null when it could not be read
     * @param digest the bundle's content digest, null when it could not be read
     * @param rules the verified rules, null when refused
     * @param exceptions the bundle's exceptions, null when refused
     */
    public record Outcome(boolean accepted, String step, String reason, BundleManifest manifest, String digest,
                          RuleSet rules, RuleExceptions exceptions) implements Serializable {

        static Outcome refused(BundleException e, RuleBundle bundle) {
            return new Outcome(false, e.step(), e.getMessage(), bundle == null ? null : bundle.manifest(),
                    bundle == null ? null : bundle.digest(), null, null);
        }
    }

    /** Checks the archive {@code archive} against the public key {@code key}. Never throws. */
    public static Outcome check(byte[] archive, PublicKey key) {
        RuleBundle bundle = null;
        try {
            bundle = RuleBundle.read(archive);
            bundle.verify(key);
            RuleExceptions exceptions = bundle.exceptionsText() == null ? RuleExceptions.NONE
                    : parseExceptions(bundle);
            List<RuleSource> sources = bundle.ruleSources();
            RulePack pack = RulePack.compile(sources);
            if (!pack.problems().isEmpty()) {
                throw refusal("compile", pack.problems(), "fix the rule or leave it out of the bundle");
            }
            RuleSet rules = RuleSet.verified(pack, sources, new BundleFixtures(bundle));
            if (!rules.problems().isEmpty()) {
                throw refusal("fixtures", rules.problems(), "fix the rule or its fixtures");
            }
            checkRegression(bundle, pack);
            return new Outcome(true, null, null, bundle.manifest(), bundle.digest(), rules, exceptions);
        } catch (BundleException e) {
            return Outcome.refused(e, bundle);
        } catch (RuntimeException e) {
            return Outcome.refused(new BundleException("compile", "the bundle could not be checked: " + e), bundle);
        }
    }

    private static BundleException refusal(String step, List<RuleProblem> problems, String fix) {
        return new BundleException(step, problems.size() + " rule problem(s), first: " + problems.get(0) + " (" + fix
                + ")");
    }

    /** Runs the Sigma regression samples under {@code regression/}, as {@code vigil sigma test} does. */
    private static void checkRegression(RuleBundle bundle, RulePack pack) throws BundleException {
        if (bundle.regression().isEmpty()) {
            return;
        }
        List<SigmaRegression.Outcome> outcomes;
        try {
            List<SigmaRegression.Case> cases = SigmaRegression.discover(RegressionTree.of(bundle.regression()));
            if (cases.isEmpty()) {
                throw new BundleException("regression", RuleBundle.REGRESSION_DIR + " holds no regression test: add "
                        + "an " + SigmaRegression.INFO + " with regression_tests_info beside each sample, or leave "
                        + RuleBundle.REGRESSION_DIR + " out");
            }
            outcomes = SigmaRegression.run(cases, pack);
        } catch (IOException | RuntimeException e) {
            throw new BundleException("regression", RuleBundle.REGRESSION_DIR + ": the regression samples cannot be "
                    + "read: " + e.getMessage());
        }
        List<SigmaRegression.Outcome> failed = outcomes.stream().filter(o -> !o.passed()).toList();
        if (!failed.isEmpty()) {
            SigmaRegression.Case first = failed.get(0).test();
            throw new BundleException("regression", failed.size() + " of " + outcomes.size() + " regression test(s) "
                    + "fail, first: rule " + first.ruleId() + " (" + first.ruleTitle() + ") test '" + first.name()
                    + "' of " + RuleBundle.REGRESSION_DIR + first.info() + ": " + failed.get(0).detail()
                    + " (fix the rule or its sample)");
        }
    }

    private static RuleExceptions parseExceptions(RuleBundle bundle) throws BundleException {
        try {
            return RuleExceptions.parse(bundle.sourceName(RuleBundle.EXCEPTIONS), bundle.exceptionsText());
        } catch (IllegalArgumentException e) {
            throw new BundleException("exceptions", e.getMessage());
        }
    }
}
