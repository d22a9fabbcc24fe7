package io.vigil.cli;

import io.vigil.jobs.config.ConfigCheck;
import io.vigil.jobs.config.ConfigReference;
import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil config}: every configuration key, the Markdown reference, or a check of a configuration file. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print every key of vigil.yaml with its default and meaning; with --reference, the same as "
                + "Markdown (" + ConfigReference.FILE + "); with --check FILE, check a configuration file (exit 1 "
                + "naming each problem: unknown keys, bad values, required keys not set, unknown topic formats, "
                + "webhook filters on rules the rule pack does not have)."})
public final class ConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true)
    Mode mode;

    static final class Mode {
        @Option(names = "--check", paramLabel = "FILE", description = "Check this configuration file.")
        Path check;

        @Option(names = "--reference", description = "Print the configuration reference as Markdown.")
        boolean reference;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (mode != null && mode.check != null) {
            return check(mode.check, out, spec.commandLine().getErr());
        }
        if (mode != null && mode.reference) {
            out.print(ConfigReference.markdown());
            out.flush();
            return VigilCli.OK;
        }
        out.printf("%-50s %-14s %s%n", "KEY", "DEFAULT", "MEANING");
        print(out, ConfigReference.keys());
        out.println();
        out.println("WEBHOOK ENDPOINT KEYS (under webhooks.endpoints.NAME.)");
        print(out, ConfigReference.webhookEndpointKeys());
        out.flush();
        return VigilCli.OK;
    }

    /** The file's problems, one a line (they quote the file's values: escaped), or that it is fine. */
    private static int check(Path file, PrintWriter out, PrintWriter err) {
        List<String> problems = ConfigCheck.check(file);
        if (problems.isEmpty()) {
            out.println(SafeText.escape(file.toString()) + ": ok");
            out.flush();
            return VigilCli.OK;
        }
        err.println("vigil config: " + SafeText.escape(file.toString()) + ": " + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + " (every key: vigil config, or "
                + ConfigReference.FILE + ")");
        problems.forEach(p -> err.println("  " + SafeText.escape(p)));
        err.flush();
        return VigilCli.FAILURE;
    }

    private static void print(PrintWriter out, List<ConfigReference.Key> keys) {
        keys.forEach(k -> out.printf("%-50s %-14s %s%n", k.key(), k.defaultValue(),
                k.description().replace('\n', ' ')));
    }
}
