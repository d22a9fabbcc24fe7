package io.vigil.rules.sigma;

import io.vigil.rules.RuleMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled Sigma detection rule: its detection tree, the filters that exclude events from it,
 * whether it raises alerts of its own, and the correlations it feeds.
 */
final class CompiledRule {

    final RuleMeta meta;
    /** The Sigma {@code name} attribute (correlations may refer to it), or null. */
    final String name;
    final LogSourceKey logSource;
    final Matcher detection;
    final List<Matcher> exclusions = new ArrayList<>();
    final List<CorrelationFeed> feeds = new ArrayList<>();
    final FieldResolver fields;
    /** Whether it raises alerts: not consumed by a correlation, or kept by {@code generate: true}. */
    boolean alerts = true;
    /** Whether a correlation of it says {@code generate: true}: it alerts whatever other correlations say. */
    boolean generateKept;

    /** How the rule reads Sigma fields (a correlation compiles its group-by fields through it). */
    interface FieldResolver {
        FieldAccess field(String sigmaName) throws SigmaException;
    }

    CompiledRule(RuleMeta meta, String name, LogSourceKey logSource, Matcher detection, FieldResolver fields) {
        this.meta = meta;
        this.name = name;
        this.logSource = logSource;
        this.detection = detection;
        this.fields = fields;
    }

    String id() {
        return meta.id();
    }

    /** Literals one of which the event must hold for the detection to match (filters only exclude), or null. */
    java.util.List<Matcher.Literal> necessary() {
        return detection.necessary();
    }

    /** Whether the event matches the detection and no filter excludes it. */
    boolean matches(EventFields e) {
        if (!detection.matches(e)) {
            return false;
        }
        for (Matcher x : exclusions) {
            if (x.matches(e)) {
                return false;
            }
        }
        return true;
    }
}
