package io.vigil.cli;

import io.vigil.jobs.live.BundleCheck;
import io.vigil.jobs.live.ControlHistory;
import io.vigil.jobs.live.ControlRecord;
import io.vigil.jobs.live.ControlTopic;
import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil rules rollback VERSION}: a bundle pushed before becomes live again, read back from the topic. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Make an earlier bundle live again: its archive is read back from the control topic (every "
                + "record carries the whole signed bundle) and written in a rollback record for live.",
            "Refuses when VERSION was never pushed (listing the versions the topic holds) or is already live."},
        footer = {"", "Example:", "  vigil rules rollback 1.3.0 --config vigil.yaml"})
final class RulesRollbackCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VERSION", description = "The bundle version to return to (its manifest's).")
    String version;

    @CommandLine.Mixin
    LiveRulesConfig live = new LiveRulesConfig();

    @Option(names = "--effective-at", paramLabel = "TIME",
            description = "Event time from which it is live (ISO-8601 with zone). Default: now + rules.activation-delay.")
    String effectiveAt;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ControlTopic topic = live.controlTopic();
        ControlHistory history = new ControlHistory(topic.readAll());
        Optional<ControlRecord> known = history.bundleOf(version);
        if (known.isEmpty()) {
            err.printf("vigil rules rollback: version %s was never pushed to %s; versions it holds: %s%n",
                    SafeText.escape(version), SafeText.escape(topic.topic()),
                    history.versions().isEmpty() ? "none" : SafeText.escape(String.join(", ", history.versions())));
            return VigilCli.FAILURE;
        }
        Optional<ControlRecord> current = history.live();
        if (current.isPresent() && current.get().version().equals(version)) {
            err.printf("vigil rules rollback: version %s is already live (record %s)%n", SafeText.escape(version),
                    SafeText.escape(current.get().id()));
            return VigilCli.FAILURE;
        }
        BundleCheck.Outcome check = BundleCheck.check(known.get().bundle(), live.publicKey());
        if (!check.accepted()) {
            // e.g. signed with a key the job no longer trusts
            err.printf("vigil rules rollback: the bundle of %s would be refused at step %s: %s; not rolled back%n",
                    SafeText.escape(version), check.step(), SafeText.escape(check.reason()));
            return VigilCli.FAILURE;
        }
        Instant now = Instant.now();
        ControlRecord record = ControlRecord.of("rollback", ControlRecord.LIVE, version, LiveRulesConfig.actor(), now,
                live.effectiveAt(effectiveAt, now), known.get().bundle());
        long offset = topic.write(record);
        out.printf("Rolled live back to bundle %s%s%n", SafeText.escape(version),
                current.map(c -> " (from " + SafeText.escape(c.version()) + ")").orElse(""));
        out.printf("  digest        %s%n", check.digest());
        out.printf("  record        %s%n", SafeText.escape(record.id()));
        out.printf("  offset        %d (topic %s)%n", offset, SafeText.escape(topic.topic()));
        out.printf("  effective at  %s%n", record.effectiveAt());
        out.flush();
        return VigilCli.OK;
    }
}
