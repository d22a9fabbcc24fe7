package io.vigil.cli;

import io.vigil.model.text.SafeText;
import io.vigil.rules.RuleMeta;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil rules compare}: the shadow bundle's alerts against the live bundle's, per rule. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare, per rule, the alerts of the live rules (vigil-alerts-*) with those of the shadow bundle "
                + "(vigil-shadow-alerts-*) over the same period: live count, shadow count, shadow minus live. A rule "
                + "only one side has alerts from is marked (live only / shadow only).",
            "The period is by alert time (@timestamp, the event time of the alert), from now - --since."},
        footer = {"", "Examples:", "  vigil rules compare --config vigil.yaml", "  vigil rules compare --config vigil.yaml --since 7d"})
final class RulesCompareCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    LiveRulesConfig live = new LiveRulesConfig();

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
            description = "How far back to count alerts (30m, 24h, 7d). Default: ${DEFAULT-VALUE}.")
    String since;

    @Override
    public Integer call() throws Exception {
        Duration back;
        try {
            back = Duration.ofMillis(RuleMeta.parseDuration(since));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--since: " + e.getMessage());
        }
        Instant from = Instant.now().minus(back);
        Map<String, Long> liveAlerts;
        Map<String, Long> shadowAlerts;
        try (RestClient rest = live.elasticsearch()) {
            RulesIndexReader reader = new RulesIndexReader(rest);
            liveAlerts = reader.alertsByRule(RulesIndexReader.LIVE_ALERTS, from);
            shadowAlerts = reader.alertsByRule(RulesIndexReader.SHADOW_ALERTS, from);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Alerts since %s (%s), live (vigil-alerts-*) against shadow (vigil-shadow-alerts-*):%n%n", from,
                SafeText.escape(since));
        out.printf("  %-40s %10s %10s %10s  %s%n", "RULE", "LIVE", "SHADOW", "DIFF", "");
        TreeSet<String> rules = new TreeSet<>(liveAlerts.keySet());
        rules.addAll(shadowAlerts.keySet());
        long liveTotal = 0;
        long shadowTotal = 0;
        for (String rule : rules) {
            long l = liveAlerts.getOrDefault(rule, 0L);
            long s = shadowAlerts.getOrDefault(rule, 0L);
            liveTotal += l;
            shadowTotal += s;
            String mark = !shadowAlerts.containsKey(rule) ? "live only" : !liveAlerts.containsKey(rule) ? "shadow only" : "";
            out.printf("  %-40s %,10d %,10d %+,10d  %s%n", SafeText.escape(rule), l, s, s - l, mark);
        }
        out.printf("  %-40s %,10d %,10d %+,10d%n", "total", liveTotal, shadowTotal, shadowTotal - liveTotal);
        if (rules.isEmpty()) {
            out.printf("%nno alerts in either since %s%n", from);
        }
        out.flush();
        return VigilCli.OK;
    }
}
