package io.vigil.cli.sigma;

import io.vigil.rules.SigmaStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code vigil sigma check} reports: per log source, how many Sigma documents compiled, how
 * many Vigil does not run (their log source is not one Vigil decodes, or a feature it does not
 * support) and how many do not compile; and the share of the supported ones that compile.
 */
public final class SigmaCoverage {

    /** The counts of one log source ({@code product/category/service}). */
    public record Row(String logSource, int compiled, int unsupported, int problems) {
        public int total() {
            return compiled + unsupported + problems;
        }
    }

    private final List<Row> rows;
    private final List<SigmaStatus> statuses;

    private SigmaCoverage(List<Row> rows, List<SigmaStatus> statuses) {
        this.rows = List.copyOf(rows);
        this.statuses = List.copyOf(statuses);
    }

    /** The coverage of {@code statuses}, rows by descending size then name. */
    public static SigmaCoverage of(List<SigmaStatus> statuses) {
        Map<String, int[]> by = new TreeMap<>();
        for (SigmaStatus s : statuses) {
            int[] n = by.computeIfAbsent(s.logSource() == null || s.logSource().isEmpty() ? "(none)" : s.logSource(),
                    k -> new int[3]);
            n[s.state().ordinal()]++;
        }
        List<Row> rows = new ArrayList<>();
        by.forEach((k, n) -> rows.add(new Row(k, n[SigmaStatus.State.COMPILED.ordinal()],
                n[SigmaStatus.State.UNSUPPORTED.ordinal()], n[SigmaStatus.State.PROBLEM.ordinal()])));
        rows.sort(Comparator.comparingInt(Row::total).reversed().thenComparing(Row::logSource));
        return new SigmaCoverage(rows, statuses);
    }

    public List<Row> rows() {
        return rows;
    }

    public List<SigmaStatus> statuses() {
        return statuses;
    }

    public int count(SigmaStatus.State state) {
        return (int) statuses.stream().filter(s -> s.state() == state).count();
    }

    /** Documents whose log source Vigil decodes and whose features it runs: compiled ones and problems. */
    public int supported() {
        return count(SigmaStatus.State.COMPILED) + count(SigmaStatus.State.PROBLEM);
    }

    /** Compiled documents as a percentage of the supported ones (100 when there are none). */
    public double compiledPercent() {
        int supported = supported();
        return supported == 0 ? 100.0 : 100.0 * count(SigmaStatus.State.COMPILED) / supported;
    }

    /** The documents that do not compile, in file order. */
    public List<SigmaStatus> problems() {
        return statuses.stream().filter(s -> s.state() == SigmaStatus.State.PROBLEM)
                .sorted(Comparator.comparing(SigmaStatus::file)).toList();
    }

    /** Unsupported documents per reason, most frequent first. */
    public Map<String, Integer> unsupportedReasons() {
        Map<String, Integer> by = new TreeMap<>();
        statuses.stream().filter(s -> s.state() == SigmaStatus.State.UNSUPPORTED)
                .forEach(s -> by.merge(s.reason() == null ? "(no reason)" : s.reason(), 1, Integer::sum));
        return by;
    }
}
