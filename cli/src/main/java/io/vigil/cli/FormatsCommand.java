package io.vigil.cli;

import io.vigil.formats.Formats;
import io.vigil.jobs.replay.ReplayInputs;
import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vigil formats}: the formats Vigil decodes, and which one a file is detected as. */
@Command(
        name = "formats",
        mixinStandardHelpOptions = true,
        description = "List the log formats Vigil decodes; with files, print the format each is detected as "
                + "(with a directory, every file in it, and the ones a replay would skip, with the reason).")
public final class FormatsCommand implements Callable<Integer> {

    static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put(Formats.SYSLOG, "sshd and Linux auth/syslog (auth.log, secure, messages), RFC 3164 and RFC 5424");
        DESCRIPTIONS.put(Formats.ACCESS, "Apache/Nginx access logs, combined and common");
        DESCRIPTIONS.put(Formats.WINDOWS, "Windows Security/System/Sysmon events as JSON (Winlogbeat or NXLog/Logstash)");
        DESCRIPTIONS.put(Formats.CLOUDTRAIL, "AWS CloudTrail: {\"Records\":[...]} files or one record per line");
        DESCRIPTIONS.put(Formats.ZEEK, "Zeek logs (conn, dns, http, kerberos, ...): TSV with their #fields header, or JSON");
        DESCRIPTIONS.put(Formats.ECS, "ECS JSON documents, one per line, passed through");
        DESCRIPTIONS.put(Formats.EVTX, "Windows event log files (.evtx) read natively, recognized by their signature");
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Files or directories to detect the format of.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (files == null || files.isEmpty()) {
            DESCRIPTIONS.forEach((name, text) -> out.printf("%-11s %s%n", name, text));
            out.flush();
            return VigilCli.OK;
        }
        int status = VigilCli.OK;
        for (Path f : files) {
            try {
                ReplayInputs.Resolved resolved = ReplayInputs.resolve(List.of(f), null);
                resolved.files().forEach(d -> out.printf("%-11s %s%n", d.format(), SafeText.escape(d.path())));
                resolved.skipped().forEach(d -> out.printf("%-11s %s (%s)%n", "skipped", SafeText.escape(d.path()),
                        SafeText.escape(d.reason())));
            } catch (Exception e) {
                out.printf("%-11s %s (%s)%n", "unknown", SafeText.escape(f.toString()),
                        SafeText.escape(VigilCli.describe(e)));
                status = VigilCli.FAILURE;
            }
        }
        out.flush();
        return status;
    }
}
