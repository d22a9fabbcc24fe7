package io.vigil.formats.syslog;

import io.vigil.model.SecurityEvent;
import java.util.Set;

/**
 * Picks the reader for a syslog message by its program, before any text is scanned, and says
 * whether the line belongs to the {@code system.auth} dataset. Only a handful of programs are
 * read further; every other line stays a plain syslog event.
 */
public final class AuthClassifier {

    /** Programs whose every line is authentication/authorization related. */
    private static final Set<String> AUTH_PROGRAMS = Set.of(
            "sshd", "sshd-session", "sshd-auth", "sudo", "su", "login", "useradd", "userdel", "groupadd",
            "groupdel", "groupmod", "usermod", "gpasswd", "passwd", "chpasswd", "chage", "unix_chkpwd");

    private AuthClassifier() {}

    /**
     * Sets the action fields of {@code b} when the message is one this decoder reads.
     *
     * @param program the program name without path or {@code (pam_x)} suffix, or {@code null}
     * @param pamModule the module of a {@code prog(pam_x)} tag, or {@code null}
     * @param message the syslog message
     * @return whether the line is auth-related ({@code system.auth})
     */
    public static boolean classify(String program, String pamModule, String message, SecurityEvent.Builder b) {
        if (pamModule != null) {
            PamMessages.classifyTagged(pamModule, program, message, b);
            return true;
        }
        if (message.startsWith("pam_")) {
            PamMessages.classifyPrefixed(message, b);
            return true;
        }
        if (program == null) {
            return false;
        }
        switch (program) {
            case "sshd", "sshd-session", "sshd-auth" -> SshdMessages.classify(message, b);
            case "sudo" -> PrivilegeMessages.sudo(message, b);
            case "su" -> PrivilegeMessages.su(message, b);
            case "useradd", "userdel", "groupadd", "groupdel", "usermod", "gpasswd", "passwd" ->
                    AccountMessages.classify(message, b);
            default -> {
                // not read further: login, chage, … are auth lines without an action of their own
            }
        }
        return AUTH_PROGRAMS.contains(program);
    }

    /** Whether {@code program} (normalized) is one of the auth programs. */
    public static boolean isAuthProgram(String program) {
        return program != null && AUTH_PROGRAMS.contains(program);
    }

    /**
     * A program tag as written ({@code /usr/sbin/sshd}, {@code sshd(pam_unix)}) split into its
     * name and PAM module.
     *
     * @param name the program name, or {@code null} when the tag has none
     * @param pamModule the module in a {@code (pam_x)} suffix, or {@code null}
     */
    public record Program(String name, String pamModule) {

        private static final Program NONE = new Program(null, null);

        public static Program of(String tag) {
            if (tag == null || tag.isEmpty()) {
                return NONE;
            }
            int end = tag.length();
            String module = null;
            int paren = tag.indexOf('(');
            if (paren > 0 && tag.charAt(end - 1) == ')') {
                String inner = tag.substring(paren + 1, end - 1);
                if (inner.startsWith("pam_")) {
                    module = inner;
                }
                end = paren;
            }
            int slash = tag.lastIndexOf('/', end - 1);
            String name = tag.substring(slash + 1, end);
            return new Program(name.isEmpty() ? null : name, module);
        }
    }
}
