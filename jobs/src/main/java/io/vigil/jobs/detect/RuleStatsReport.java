package io.vigil.jobs.detect;

/**
 * The per-rule numbers of one evaluation subtask, cumulative since it started, as the streaming job
 * writes them to the {@code vigil-rules} index ({@code vigil.rules.doc: stats}; {@code vigil rules
 * status} sums them over subtasks).
 *
 * @param slot {@code live} or {@code shadow} (a job without live rules: {@code live})
 * @param subtask the evaluation subtask
 * @param ruleId the rule (or a pseudo-id of shared time, {@link io.vigil.rules.RuleStats#DROOLS}, …)
 * @param hits hits that went on to correlation
 * @param excepted hits an exception covered
 * @param errors the rule's failures
 * @param evalNanos evaluation time attributed to it
 * @param since when the subtask started counting (epoch ms)
 * @param at when these numbers were taken (epoch ms)
 */
public record RuleStatsReport(String slot, int subtask, String ruleId, long hits, long excepted, long errors,
                              long evalNanos, long since, long at) {}
