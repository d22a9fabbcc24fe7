package io.vigil.formats.syslog;

import io.vigil.model.SecurityEvent;

/** Reads sudo and su messages: who ran what as whom, and whether they were allowed. */
final class PrivilegeMessages {

    static final String SUDO_COMMAND = "system.auth.sudo.command";
    static final String SUDO_TTY = "system.auth.sudo.tty";
    static final String SUDO_PWD = "system.auth.sudo.pwd";
    static final String SUDO_ERROR = "system.auth.sudo.error";
    static final String SU_TTY = "system.auth.su.tty";

    private PrivilegeMessages() {}

    /**
     * {@code alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls -la}, or with a
     * refusal first ({@code alice : 3 incorrect password attempts ; TTY=… ; COMMAND=…},
     * {@code alice : user NOT in sudoers ; …}). COMMAND is last and runs to the end of the line,
     * since a command may itself hold {@code " ; "}.
     */
    static boolean sudo(String msg, SecurityEvent.Builder b) {
        int sep = msg.indexOf(" : ");
        if (sep < 0) {
            return false;
        }
        String user = msg.substring(0, sep).strip();
        int command = msg.indexOf("COMMAND=", sep);
        int end = command < 0 ? msg.length() : command;
        if (user.isEmpty() || (command < 0 && msg.indexOf("USER=", sep) < 0)) {
            return false;
        }
        AuthAction.SUDO.applyTo(b);
        b.userName(user);
        String error = null;
        int i = sep + 3;
        while (i < end) {
            int next = msg.indexOf(" ; ", i);
            if (next < 0 || next > end) {
                next = end;
            }
            String part = msg.substring(i, next).strip();
            if (part.startsWith("TTY=")) {
                b.field(SUDO_TTY, part.substring(4));
            } else if (part.startsWith("PWD=")) {
                b.field(SUDO_PWD, part.substring(4));
            } else if (part.startsWith("USER=")) {
                b.userTargetName(Net.emptyToNull(part.substring(5)));
            } else if (!part.isEmpty() && part.indexOf('=') < 0 && error == null) {
                error = part;
            }
            i = next + 3;
        }
        if (command >= 0) {
            b.field(SUDO_COMMAND, msg.substring(command + 8));
        }
        b.field(SUDO_ERROR, error);
        b.eventOutcome(error == null ? "success" : "failure");
        return true;
    }

    /**
     * The su spellings: util-linux {@code (to root) alice on pts/0} / {@code FAILED SU (to root) alice on pts/0},
     * shadow {@code Successful su for root by alice} / {@code FAILED su for root by alice}, and the
     * older {@code + pts/0 alice:root} / {@code - pts/0 alice:root}.
     */
    static boolean su(String msg, SecurityEvent.Builder b) {
        if (msg.startsWith("(to ")) {
            return toForm(msg, 0, true, b);
        }
        if (msg.startsWith("FAILED SU (to ")) {
            return toForm(msg, 10, false, b);
        }
        if (msg.startsWith("Successful su for ")) {
            return forBy(msg, 18, true, b);
        }
        if (msg.startsWith("FAILED su for ")) {
            return forBy(msg, 14, false, b);
        }
        if (msg.length() > 2 && (msg.charAt(0) == '+' || msg.charAt(0) == '-') && msg.charAt(1) == ' ') {
            int space = msg.indexOf(' ', 2);
            int colon = msg.lastIndexOf(':');
            if (space < 0 || colon < space) {
                return false;
            }
            AuthAction.SU.applyTo(b).eventOutcome(msg.charAt(0) == '+' ? "success" : "failure");
            b.field(SU_TTY, msg.substring(2, space));
            b.userName(Net.emptyToNull(msg.substring(space + 1, colon)));
            b.userTargetName(Net.emptyToNull(msg.substring(colon + 1).strip()));
            return true;
        }
        return false;
    }

    /** {@code (to <target>) <user> on <tty>} from {@code at}. */
    private static boolean toForm(String msg, int at, boolean success, SecurityEvent.Builder b) {
        int close = msg.indexOf(") ", at + 4);
        if (close < 0) {
            return false;
        }
        AuthAction.SU.applyTo(b).eventOutcome(success ? "success" : "failure");
        b.userTargetName(Net.emptyToNull(msg.substring(at + 4, close)));
        int on = msg.lastIndexOf(" on ");
        int userEnd = on > close ? on : msg.length();
        b.userName(Net.emptyToNull(msg.substring(close + 2, userEnd).strip()));
        if (on > close) {
            b.field(SU_TTY, msg.substring(on + 4).strip());
        }
        return true;
    }

    /** {@code <target> by <user>} from {@code at}. */
    private static boolean forBy(String msg, int at, boolean success, SecurityEvent.Builder b) {
        int by = msg.indexOf(" by ", at);
        if (by < 0) {
            return false;
        }
        AuthAction.SU.applyTo(b).eventOutcome(success ? "success" : "failure");
        b.userTargetName(Net.emptyToNull(msg.substring(at, by)));
        b.userName(Net.emptyToNull(msg.substring(by + 4).strip()));
        return true;
    }
}
