package io.vigil.rules;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Compiles Sigma sources ({@link RuleSource#isSigma()}) into a {@link SigmaRuleSet}. The
 * implementation lives in {@code io.vigil.rules.sigma}, which builds on this package; the engine
 * finds it with {@link ServiceLoader} so that the two packages do not depend on each other.
 */
public interface SigmaCompiler {

    /** Compiles every Sigma document of {@code sources}; never throws for a bad rule (a problem instead). */
    SigmaRuleSet compile(List<RuleSource> sources);

    /** The compiler on the classpath, or null when none is. */
    static SigmaCompiler find() {
        for (SigmaCompiler c : ServiceLoader.load(SigmaCompiler.class, SigmaCompiler.class.getClassLoader())) {
            return c;
        }
        return null;
    }
}
