package io.vigil.bench.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.bench.BenchJson;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fault run's outputs against the fault-free run's: alerts and incidents by document id, webhook
 * deliveries by idempotency key.
 *
 * <p>Webhooks: a key is <em>found</em> when the receiver accepted it at least once or the job
 * dead-lettered it (with its reason); <em>lost</em> when neither; <em>duplicated</em> when found and
 * never expected. A key the receiver accepted more than once is <em>redelivered</em> (the extra
 * acceptances are counted): a receiver that acts once per idempotency key, as docs/webhooks.md asks,
 * acts once; one that does not would act twice, so the figure is reported beside the others.
 *
 * @param deadLetterReasons dead-lettered deliveries by reason (the reason's text up to its first digit)
 */
public record Comparison(Tally alerts, Tally incidents, Tally webhooks, long redelivered, long deadLettered,
                         Map<String, Long> deadLetterReasons) {

    public static Comparison of(FaultHarness.Outputs expected, FaultHarness.Outputs found) {
        Map<String, Long> keys = new HashMap<>();
        found.accepted().keySet().forEach(k -> keys.put(k, 1L));
        found.deadLettered().keySet().forEach(k -> keys.put(k, 1L));
        long redelivered = found.accepted().values().stream().mapToLong(n -> n - 1L).sum();
        Map<String, Long> reasons = new TreeMap<>();
        found.deadLettered().values().forEach(r -> reasons.merge(reasonKind(r), 1L, Long::sum));
        return new Comparison(Tally.of(expected.alerts().keySet(), found.alerts()),
                Tally.of(expected.incidents().keySet(), found.incidents()),
                Tally.of(expected.accepted().keySet(), keys), redelivered, found.deadLettered().size(), reasons);
    }

    /** The reason without its numbers and ids, so that like reasons count together. */
    static String reasonKind(String reason) {
        String r = reason.length() > 120 ? reason.substring(0, 120) : reason;
        return r.replaceAll("[0-9a-f]{16,}", "<id>").replaceAll("after \\d+ attempts?", "after N attempts").strip();
    }

    /** Nothing lost, nothing duplicated, in any output. */
    public boolean exact() {
        return alerts.exact() && incidents.exact() && webhooks.exact();
    }

    public ObjectNode json() {
        ObjectNode o = BenchJson.object();
        o.set("alerts", alerts.json());
        o.set("incidents", incidents.json());
        ObjectNode w = webhooks.json();
        w.put("redelivered", redelivered);
        w.put("dead_lettered", deadLettered);
        w.set("dead_letter_reasons", BenchJson.object().setAll(toJson(deadLetterReasons)));
        o.set("webhooks", w);
        o.put("lost", alerts.lost() + incidents.lost() + webhooks.lost());
        o.put("duplicated", alerts.duplicated() + incidents.duplicated() + webhooks.duplicated());
        return o;
    }

    private static ObjectNode toJson(Map<String, Long> m) {
        ObjectNode o = BenchJson.object();
        m.forEach(o::put);
        return o;
    }

    @Override
    public String toString() {
        return "alerts: " + alerts + "; incidents: " + incidents + "; webhook keys: " + webhooks + ", redelivered "
                + redelivered + ", dead-lettered " + deadLettered + " " + deadLetterReasons;
    }
}
