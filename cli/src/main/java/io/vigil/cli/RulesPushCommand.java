package io.vigil.cli;

import io.vigil.jobs.live.BundleCheck;
import io.vigil.jobs.live.ControlRecord;
import io.vigil.jobs.live.ControlTopic;
import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil rules push}: a signed bundle onto the control topic, for the live or the shadow slot. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Push a signed rule bundle (vigil rules bundle) to the job through the rules control topic. "
                + "The bundle is first checked here as the job will check it (signature against rules.public-key, "
                + "exceptions, compilation, fixtures, regression samples); a bundle the job would refuse is not pushed.",
            "It applies to events from --effective-at, by default now + rules.activation-delay (event time).",
            "Prints the version, digest, record id, topic offset and effective time. Whether the job made it active "
                + "shows in vigil rules status."},
        footer = {"", "Examples:",
            "  vigil rules push rules-1.4.0.zip --config vigil.yaml",
            "  vigil rules push rules-1.5.0.zip --config vigil.yaml --shadow",
            "  vigil rules push rules-1.4.0.zip --config vigil.yaml --effective-at 2026-03-01T10:00:00Z"})
final class RulesPushCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The signed bundle (a .zip from vigil rules bundle).")
    Path bundle;

    @CommandLine.Mixin
    LiveRulesConfig live = new LiveRulesConfig();

    @Option(names = "--shadow", description = "Push to the shadow slot: the bundle runs beside the live one, its alerts "
            + "go to vigil-shadow-alerts-* only (vigil rules compare, then vigil rules promote).")
    boolean shadow;

    @Option(names = "--effective-at", paramLabel = "TIME",
            description = "Event time from which the bundle applies (ISO-8601 with zone). Default: now + "
                    + "rules.activation-delay.")
    String effectiveAt;

    @Option(names = "--force", description = "Push even a bundle the local check refuses. Only to show what the job "
            + "does with it (it refuses it too and keeps its rules; the refusal is in vigil rules status): never needed "
            + "to push a good bundle.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (Files.size(bundle) > ControlTopic.MAX_RECORD_BYTES * 3L / 4) {
            // base64 in the record's JSON grows it by a third
            err.printf("vigil rules push: %s is %,d bytes: a control record holds a bundle up to %,d bytes%n",
                    SafeText.escape(bundle.toString()), Files.size(bundle), ControlTopic.MAX_RECORD_BYTES * 3L / 4);
            return VigilCli.FAILURE;
        }
        byte[] archive = Files.readAllBytes(bundle);
        BundleCheck.Outcome check = BundleCheck.check(archive, live.publicKey());
        if (check.manifest() == null) {
            err.printf("vigil rules push: %s is not a readable bundle (%s: %s): not pushed%n",
                    SafeText.escape(bundle.toString()), check.step(), SafeText.escape(check.reason()));
            return VigilCli.FAILURE;
        }
        if (!check.accepted()) {
            err.printf("vigil rules push: the job would refuse bundle %s at step %s: %s%n",
                    SafeText.escape(check.manifest().version()), check.step(), SafeText.escape(check.reason()));
            if (!force) {
                err.println("vigil rules push: not pushed (fix the bundle; --force pushes it anyway to show the refusal)");
                return VigilCli.FAILURE;
            }
            err.println("vigil rules push: --force: pushing it anyway; the job will refuse it and keep its rules");
        }
        Instant now = Instant.now();
        String slot = shadow ? ControlRecord.SHADOW : ControlRecord.LIVE;
        ControlRecord record = ControlRecord.of("push", slot, check.manifest().version(), LiveRulesConfig.actor(), now,
                live.effectiveAt(effectiveAt, now), archive);
        ControlTopic topic = live.controlTopic();
        long offset = topic.write(record);
        out.printf("Pushed bundle %s to %s%n", SafeText.escape(record.version()), slot);
        out.printf("  digest        %s%n", check.digest());
        out.printf("  record        %s%n", SafeText.escape(record.id()));
        out.printf("  offset        %d (topic %s)%n", offset, SafeText.escape(topic.topic()));
        out.printf("  effective at  %s%n", record.effectiveAt());
        if (check.accepted()) {
            out.printf("  checked       %d rule(s), %d exception(s)%n", check.rules().active().size(),
                    check.exceptions().entries().size());
        }
        out.flush();
        return VigilCli.OK;
    }
}
