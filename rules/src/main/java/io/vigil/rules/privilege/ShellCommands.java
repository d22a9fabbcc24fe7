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
        // every pattern reads [prefix]bin/<program>…, and no prefix it allows holds "bin/": the first
        // "bin/" is the one a match goes through, and the program after it says which pattern can
        // match at all. Most sudo commands (apt-get, systemctl, …) so cost two scans, not three regexes.
        int bin = c.indexOf("bin/");
        if (bin < 0) {
            return false;
        }
        int program = bin + "bin/".length();
        if (c.startsWith("su", program) && SU.matcher(c).matches()) {
            return true;
        }
        if (startsWithAny(c, program, SHELLS) && SHELL.matcher(c).matches()) {
            return true;
        }
        return startsWithAny(c, program, INTERPRETERS) && SPAWN.matcher(c).matches();
    }

    /** The three patterns alone, without the look at the program first: what {@link #isShellCommand} must equal. */
    static boolean byPatternsOnly(String command) {
        String c = command.trim().toLowerCase(Locale.ROOT);
        return SHELL.matcher(c).matches() || SU.matcher(c).matches() || SPAWN.matcher(c).matches();
    }

    /** The programs SHELL names ({@code (ba|da|z|k|c|tc|fi)?sh}). */
    private static final String[] SHELLS = {"sh", "bash", "dash", "zsh", "ksh", "csh", "tcsh", "fish"};
    /** The interpreters SPAWN names. */
    private static final String[] INTERPRETERS = {"python", "perl", "ruby"};

    private static boolean startsWithAny(String s, int at, String[] prefixes) {
        for (String p : prefixes) {
            if (s.startsWith(p, at)) {
                return true;
            }
        }
        return false;
    }
}
