package io.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil intel}: live context tables and hunting the past for indicators. */
@Command(name = "intel", mixinStandardHelpOptions = true,
        description = {"Threat intelligence and other context tables for the running job (docs/intel-live.md).",
            "'push' writes a feed (or an assets or identities table) to the context control topic; the job "
                + "replaces that table live and retro-hunts the indicators it adds.",
            "'hunt' searches the indexed events (vigil-events-*) for one value on demand."},
        subcommands = {IntelPushCommand.class, IntelHuntCommand.class})
public final class IntelCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: push or hunt");
    }
}
