package io.vigil.jobs.detect;

import io.vigil.rules.RuleStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.OutputTag;

/**
 * When an evaluation subtask reports its per-rule numbers: at most once per {@link #EVERY_MS} of
 * its clock, only the rules whose numbers changed since its last report (so thousands of silent
 * Sigma rules cost nothing). Operational numbers on the wall clock, not detection: they take no
 * part in alerts.
 */
public final class RuleStatsReporter {

    /** Where the evaluation functions put their reports. */
    public static final OutputTag<RuleStatsReport> RULE_STATS = new OutputTag<>("rule-stats") {};

    /** Reports at most this often (ms). */
    public static final long EVERY_MS = 60_000;

    private final String slot;
    private final int subtask;
    private final long since;
    private long nextAt;
    private final Map<String, RuleStats> last = new HashMap<>();

    public RuleStatsReporter(String slot, int subtask, long since) {
        this.slot = slot;
        this.subtask = subtask;
        this.since = since;
        this.nextAt = since + EVERY_MS;
    }

    /** The reports due at {@code now} (epoch ms) for {@code stats}; empty until the next report is due. */
    public List<RuleStatsReport> due(Map<String, RuleStats> stats, long now) {
        if (now < nextAt) {
            return List.of();
        }
        nextAt = now + EVERY_MS;
        List<RuleStatsReport> out = new ArrayList<>();
        stats.forEach((id, st) -> {
            if (!st.equals(last.get(id))) {
                last.put(id, st);
                out.add(new RuleStatsReport(slot, subtask, id, st.hits(), st.excepted(), st.errors(), st.evalNanos(),
                        since, now));
            }
        });
        return out;
    }
}
