package io.vigil.cli;

import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command line. Exit codes: 0 ok, 1 failure, 2 bad usage.
 */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VigilCli.Version.class,
        description = "Security event processing and incident response engine: decode logs, detect attacks, "
                + "triage incidents.",
        subcommands = {DemoCommand.class, ReplayCommand.class, RunCommand.class, SetupCommand.class, SimulateCommand.class,
            IncidentsCommand.class, WebhooksCommand.class, IntelCommand.class, ClusterCommand.class, StatusCommand.class,
            RulesCommand.class, SigmaCommand.class, FormatsCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class})
public final class VigilCli implements Runnable {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // no subcommand given: show what there is
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: use one of "
                + spec.subcommands().keySet());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new VigilCli());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            // error messages quote data (a record, a file name, a server's answer): escaped
            err.println("vigil " + commandLine.getCommandName() + ": " + SafeText.escape(describe(e)));
            err.flush();
            return FAILURE;
        });
        cl.setParameterExceptionHandler(VigilCli::badUsage);
        return cl;
    }

    /**
     * Picocli's answer to bad usage (the message, suggestions or the usage help, exit 2), with the
     * message escaped: it may quote a value read from a file or a server.
     */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText(SafeText.escape(e.getMessage())));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            commandLine.usage(err);
        }
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A one-line reason a person can act on, without a stack trace. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException
                || t.getClass().getName().startsWith("org.apache.flink.runtime.client"))) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = VigilCli.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (v == null ? "development build" : v)};
        }
    }
}
