package io.vigil.cli;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import io.vigil.jobs.config.WebhookOptions;
import picocli.CommandLine.Option;

/** {@code vigil config}: every configuration key, or a check of a configuration file. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print every key of vigil.yaml with its default and meaning; with --check FILE, "
                + "validate a configuration file (exit 1 naming each bad key)."})
public final class ConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--check", paramLabel = "FILE", description = "Validate this configuration file.")
    Path check;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (check != null) {
            VigilConfig.load(check);
            out.println(SafeText.escape(check.toString()) + ": ok");
            out.flush();
            return VigilCli.OK;
        }
        out.printf("%-36s %-30s %s%n", "KEY", "DEFAULT", "MEANING");
        print(out, VigilOptions.all());
        out.println();
        out.println("WEBHOOK ENDPOINT KEYS (under " + WebhookOptions.PREFIX + "<name>.)");
        print(out, WebhookOptions.all());
        out.flush();
        return VigilCli.OK;
    }

    private static void print(PrintWriter out, java.util.List<ConfigOption<?>> options) {
        options.stream().sorted(Comparator.comparing(ConfigOption::key)).forEach(o -> {
            Object dflt = !o.hasDefaultValue() ? "(none)"
                    : o.defaultValue() instanceof Duration d ? TimeUtils.formatWithHighestUnit(d) : o.defaultValue();
            out.printf("%-36s %-30s %s%n", o.key(), dflt, new HtmlFormatter().format(o.description()));
        });
    }
}
