package io.vigil.jobs.live;

import io.vigil.rules.RuleProblem;
import io.vigil.rules.bundle.BundleException;
import io.vigil.rules.bundle.BundleManifest;
import io.vigil.rules.bundle.RuleBundle;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.io.Serializable;
import java.security.PublicKey;

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
            RuleSet rules = RuleSet.verified(bundle.ruleSources());
            if (!rules.problems().isEmpty()) {
                RuleProblem first = rules.problems().get(0);
                throw new BundleException("compile", rules.problems().size() + " rule problem(s), first: " + first);
            }
            return new Outcome(true, null, null, bundle.manifest(), bundle.digest(), rules, exceptions);
        } catch (BundleException e) {
            return Outcome.refused(e, bundle);
        } catch (RuntimeException e) {
            return Outcome.refused(new BundleException("compile", "the bundle could not be checked: " + e), bundle);
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
