package io.vigil.formats.syslog;

import io.vigil.model.SecurityEvent;

/**
 * Reads PAM module messages of any service, in both spellings:
 * {@code sshd[1]: pam_unix(sshd:auth): authentication failure; …} (module and service in the
 * message) and the older {@code sshd(pam_unix)[1]: authentication failure; …} (module in the
 * program tag, the program being the service).
 */
final class PamMessages {

    static final String MODULE = "system.auth.pam.module";
    static final String SERVICE = "system.auth.pam.service";
    static final String RUSER = "system.auth.pam.ruser";
    static final String BY = "system.auth.pam.by";

    private PamMessages() {}

    /**
     * A message starting {@code pam_<module>(<service>:<type>): }; {@code false} when it does not
     * have that shape or says nothing this decoder reads.
     */
    static boolean classifyPrefixed(String msg, SecurityEvent.Builder b) {
        int open = msg.indexOf('(');
        int close = open < 0 ? -1 : msg.indexOf("): ", open);
        if (open < 5 || close < 0) {
            return false;
        }
        b.field(MODULE, msg.substring(0, open));
        int colon = msg.indexOf(':', open);
        b.field(SERVICE, msg.substring(open + 1, colon > open && colon < close ? colon : close));
        return classifyBody(msg, close + 3, b);
    }

    /** The Linux {@code prog(pam_module)[pid]: body} form. */
    static boolean classifyTagged(String module, String service, String msg, SecurityEvent.Builder b) {
        b.field(MODULE, module);
        b.field(SERVICE, service);
        return classifyBody(msg, 0, b);
    }

    /** What the module said, from {@code at}. */
    private static boolean classifyBody(String msg, int at, SecurityEvent.Builder b) {
        if (msg.startsWith("authentication failure;", at)) {
            AuthAction.PAM_AUTH_FAILURE.applyTo(b).eventOutcome("failure");
            authFailureFields(msg, at, b);
            return true;
        }
        if (msg.startsWith("session opened for user ", at)) {
            AuthAction.SESSION_OPENED.applyTo(b).eventOutcome("success");
            int userStart = at + 24;
            int by = msg.indexOf(" by ", userStart);
            b.userName(userOf(msg, userStart, by < 0 ? msg.length() : by));
            if (by >= 0) {
                b.field(BY, msg.substring(by + 4).strip());
            }
            return true;
        }
        if (msg.startsWith("session closed for user ", at)) {
            AuthAction.SESSION_CLOSED.applyTo(b).eventOutcome("success");
            b.userName(userOf(msg, at + 24, msg.length()));
            return true;
        }
        if (msg.startsWith("check pass; user unknown", at)) {
            AuthAction.PAM_USER_UNKNOWN.applyTo(b).eventOutcome("failure");
            return true;
        }
        if (msg.startsWith("password changed for ", at)) {
            AuthAction.PASSWORD_CHANGED.applyTo(b).eventOutcome("success");
            b.userName(userOf(msg, at + 21, msg.length()));
            return true;
        }
        return false;
    }

    /**
     * {@code authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root}:
     * pam_unix writes {@code user=} last, so it runs to the end of the line.
     */
    private static void authFailureFields(String msg, int at, SecurityEvent.Builder b) {
        int user = msg.indexOf(" user=", at);
        int end = user < 0 ? msg.length() : user;
        String rhost = value(msg, " rhost=", at, end);
        Net.source(b, rhost);
        b.field(RUSER, value(msg, " ruser=", at, end));
        if (user >= 0) {
            b.userName(Net.emptyToNull(msg.substring(user + 6).strip()));
        }
    }

    /** The space-delimited value after {@code key} within {@code msg[from..to)}, or {@code null}. */
    private static String value(String msg, String key, int from, int to) {
        int k = msg.indexOf(key, from);
        if (k < 0 || k >= to) {
            return null;
        }
        int start = k + key.length();
        int stop = msg.indexOf(' ', start);
        if (stop < 0 || stop > to) {
            stop = to;
        }
        return stop > start ? msg.substring(start, stop) : null;
    }

    /** A user name as PAM writes it, without the {@code (uid=N)} newer versions append. */
    private static String userOf(String msg, int from, int to) {
        int paren = msg.indexOf("(uid=", from);
        if (paren >= 0 && paren < to) {
            to = paren;
        }
        return Net.emptyToNull(msg.substring(from, to).strip());
    }
}
