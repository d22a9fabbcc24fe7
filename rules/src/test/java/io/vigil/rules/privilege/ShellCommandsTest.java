package io.vigil.rules.privilege;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellCommandsTest {

    private static final List<String> PREFIXES = List.of("", "/", "/s", "/usr/", "/usr/s", "/local/", "/usr/local/",
            "/usr/local/s", "/opt/", "/usr/lib/", "bin/", "/home/bin/");
    private static final List<String> PROGRAMS = List.of("sh", "bash", "dash", "zsh", "ksh", "csh", "tcsh", "fish", "ash",
            "su", "sudo", "sushi", "python", "python3.11", "perl", "ruby", "apt-get", "systemctl", "s", "");
    private static final List<String> TAILS = List.of("", " -", " -l", " -i", " --login", " root", " - root", " -c 'id'",
            " -c 'import pty;pty.spawn(\"/bin/bash\")'", " -e 'exec \"/bin/sh\";'", " update", " restart nginx",
            " -c \"exec('/bin/sh')\"", "/bin/bash");

    @Test
    void theLookAtTheProgramNeverChangesWhatThePatternsSay() {
        List<String> commands = new ArrayList<>();
        for (String prefix : PREFIXES) {
            for (String program : PROGRAMS) {
                for (String tail : TAILS) {
                    String c = prefix + "bin/" + program + tail;
                    commands.add(c);
                    commands.add("  " + c.toUpperCase(java.util.Locale.ROOT) + " ");
                    commands.add(prefix + program + tail);
                }
            }
        }
        int shells = 0;
        for (String c : commands) {
            boolean expected = ShellCommands.byPatternsOnly(c);
            assertThat(ShellCommands.isShellCommand(c)).as(c).isEqualTo(expected);
            shells += expected ? 1 : 0;
        }
        // the set holds both answers in number, so the comparison above can fail either way
        assertThat(shells).isGreaterThan(100).isLessThan(commands.size() - 100);
    }

    @Test
    void knownCommands() {
        assertThat(ShellCommands.isShellCommand("/bin/bash")).isTrue();
        assertThat(ShellCommands.isShellCommand("/usr/bin/su -")).isTrue();
        assertThat(ShellCommands.isShellCommand("/usr/bin/python3 -c 'import pty; pty.spawn(\"/bin/bash\")'")).isTrue();
        assertThat(ShellCommands.isShellCommand("/usr/bin/apt-get update")).isFalse();
        assertThat(ShellCommands.isShellCommand("bash")).isFalse();
        assertThat(ShellCommands.isShellCommand(null)).isFalse();
    }
}
