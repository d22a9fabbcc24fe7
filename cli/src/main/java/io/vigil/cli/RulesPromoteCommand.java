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

/** {@code vigil rules promote}: the shadow bundle becomes live, and the shadow slot is emptied. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Make the current shadow bundle live: writes a promote record for live carrying the shadow's "
                + "bundle, then a clear record for shadow. The shadow bundle is the newest push to shadow in the "
                + "control topic that no clear followed.",
            "Refuses when there is no shadow bundle, or when the bundle no longer passes the check."},
        footer = {"", "Example:", "  vigil rules compare --config vigil.yaml && vigil rules promote --config vigil.yaml"})
final class RulesPromoteCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
        Optional<ControlRecord> shadow = new ControlHistory(topic.readAll()).shadow();
        if (shadow.isEmpty()) {
            err.println("vigil rules promote: there is no shadow bundle to promote: push one first with "
                    + "vigil rules push FILE --shadow");
            return VigilCli.FAILURE;
        }
        ControlRecord from = shadow.get();
        BundleCheck.Outcome check = BundleCheck.check(from.bundle(), live.publicKey());
        if (!check.accepted()) {
            err.printf("vigil rules promote: the shadow bundle %s would be refused at step %s: %s; not promoted%n",
                    SafeText.escape(from.version()), check.step(), SafeText.escape(check.reason()));
            return VigilCli.FAILURE;
        }
        Instant now = Instant.now();
        Instant effective = live.effectiveAt(effectiveAt, now);
        String actor = LiveRulesConfig.actor();
        ControlRecord promote = ControlRecord.of("promote", ControlRecord.LIVE, from.version(), actor, now, effective,
                from.bundle());
        // the shadow stops when live switches: the same effective time
        ControlRecord clear = ControlRecord.of("clear", ControlRecord.SHADOW, from.version(), actor, now, effective,
                null);
        long promoteOffset = topic.write(promote);
        long clearOffset = topic.write(clear);
        out.printf("Promoted bundle %s from shadow to live%n", SafeText.escape(from.version()));
        out.printf("  digest        %s%n", check.digest());
        out.printf("  record        %s (offset %d)%n", SafeText.escape(promote.id()), promoteOffset);
        out.printf("  shadow clear  %s (offset %d)%n", SafeText.escape(clear.id()), clearOffset);
        out.printf("  effective at  %s%n", effective);
        out.flush();
        return VigilCli.OK;
    }
}
