package io.vigil.jobs.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What a replay did, written as {@code summary.json}: every input record is accounted for as
 * decoded (one or more events) or as exactly one dead letter, so
 * {@code records == recordsDecoded + deadLetters} ({@code deadLettersByKind}: {@code decode} or
 * {@code event-time}, a time outside the years 1 to 9999). {@code alerts} counts distinct alert ids
 * ({@code byRule}: per rule id); {@code ruleErrors} counts events a rule failed on, one per rule
 * and event ({@code ruleErrorsByRule}: per rule id), each also a {@code rule-error} dead letter
 * (extra to {@code deadLetters}: the event went on through the other rules);
 * {@code excepted} counts hits an exception covered, never alerted ({@code exceptedByException}:
 * per exception id); {@code ruleProblems} says why any rule was not active, or was quarantined during the run;
 * {@code webhook}, with {@code --webhook} only, what became of the alerts sent;
 * {@code masked} counts the values masked on the way out per kind ({@code card},
 * {@code secret-parameter}, {@code cloud-secret}, {@code password-user-name}; docs/masking.md),
 * over events, alerts and dead letters.
 * {@code files} are the files read; {@code skipped} the files found in the directories given that
 * were not read, each with the reason ({@link ReplayInputs}).
 */
public record ReplaySummary(
        long records,
        long recordsDecoded,
        long events,
        long deadLetters,
        long bytes,
        Map<String, Long> byFormat,
        Map<String, Long> byAction,
        Map<String, Long> byActionOutcome,
        Map<String, Long> deadLettersByFormat,
        Map<String, Long> deadLettersByKind,
        long alerts,
        Map<String, Long> byRule,
        long ruleErrors,
        Map<String, Long> ruleErrorsByRule,
        long excepted,
        Map<String, Long> exceptedByException,
        long incidents,
        Map<String, Long> masked,
        List<String> ruleProblems,
        List<InputFile> files,
        List<SkippedFile> skipped,
        long elapsedMs,
        long recordsPerSecond,
        Map<String, String> outputs,
        @JsonInclude(JsonInclude.Include.NON_NULL) ReplayWebhook.Result webhook) {

    /** One input file and the format it was read as. */
    public record InputFile(String path, String format, boolean detected) {}

    /** A file found in a directory given that the replay did not read, and why (ReplayInputs' reasons). */
    public record SkippedFile(String path, String reason) {}
}
