package io.vigil.rules.privilege;

import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * Which sudo commands are interactive shells, for the privilege rules; patterns compiled once, in
 * RE2/J (linear time: the command line is whatever the user typed after sudo).
 */
public final class ShellCommands {

    private static final Pattern SHELL = Pattern.compile("(/usr)?(/local)?/s?bin/(ba|da|z|k|c|tc|fi)?sh( +-[a-z]*)?( +-)?");
    private static final Pattern SU = Pattern.compile("(/usr)?/s?bin/su( +-| +-l| +--login)?( +root)?");
    private static final Pattern SPAWN = Pattern.compile(
            "(/usr)?/s?bin/(python[0-9.]*|perl|ruby) +-[a-z]*c? *['\"]?.*(pty\\.spawn|exec[ (]+['\"]?/bin/(ba)?sh).*");

    private ShellCommands() {}

    /** A sudo command that is an interactive shell (bash, sh, zsh, su, sudo -i/-s style), not one command. */
    public static boolean isShellCommand(String command) {
        if (command == null) {
            return false;
        }
        String c = command.trim().toLowerCase(Locale.ROOT);
        return SHELL.matcher(c).matches() || SU.matcher(c).matches() || SPAWN.matcher(c).matches();
    }
}
