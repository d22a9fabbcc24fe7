package io.vigil.rules.correlate;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.rules.Comparison;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-built correlation rules and hits for the tests of {@link Correlator}: fixed times and origins. */
final class CorrelationHits {

    static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    static final long WINDOW = 10_000;
    static final String KEY = "host-1";

    private CorrelationHits() {}

    /** A Sigma-like correlation rule of {@code shape} with a 10 s window and no suppression. */
    static RuleMeta.Builder rule(Shape shape, Comparison... condition) {
        return RuleMeta.builder().id("corr-" + shape.name().toLowerCase(java.util.Locale.ROOT)).name("test " + shape)
                .ruleset(RuleMeta.SIGMA).shape(shape).groupBy(List.of("host.name")).windowMs(WINDOW)
                .condition(List.of(condition));
    }

    static Comparison c(String op, double value) {
        return new Comparison(op, value);
    }

    /** A hit {@code ms} after T0, its origin the line {@code ms} of a file. */
    static RuleHit hit(RuleMeta rule, long ms, String step, String value) {
        return new RuleHit(rule.id(), KEY, Instant.ofEpochMilli(T0 + ms), Origin.file("sec.log", ms), 0, step, value,
                Map.of("host.name", KEY));
    }

    static RuleHit hit(RuleMeta rule, long ms) {
        return hit(rule, ms, null, null);
    }

    static RuleHit step(RuleMeta rule, long ms, String step) {
        return hit(rule, ms, step, null);
    }

    static RuleHit value(RuleMeta rule, long ms, String value) {
        return hit(rule, ms, null, value);
    }

    /** Feeds the hits in order to one state and collects every alert. */
    static List<Alert> run(RuleMeta rule, CorrelationState st, RuleHit... hits) {
        List<Alert> out = new ArrayList<>();
        for (RuleHit h : hits) {
            out.addAll(Correlator.onHit(rule, st, h));
        }
        return out;
    }

    /** Time {@code ms} after T0, as the watermark. */
    static long at(long ms) {
        return T0 + ms;
    }
}
