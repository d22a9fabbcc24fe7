package io.vigil.formats.syslog;

import io.vigil.model.SecurityEvent;

/**
 * Reads the sshd messages that matter for detection. Dispatch is on the first characters of the
 * message, and parsing anchors on the fixed words sshd writes around user-controlled text
 * ({@code " from "}, {@code " port "}), taking the <em>last</em> {@code " from "}: user names
 * come from the attacker and may hold spaces ({@code "Invalid user  0101 from …"} is user
 * {@code " 0101"}) or even the word "from".
 */
final class SshdMessages {

    static final String METHOD = "system.auth.ssh.method";
    static final String SIGNATURE = "system.auth.ssh.signature";
    static final String INVALID_USER = "system.auth.ssh.invalid_user";

    private static final String BREAK_IN = "POSSIBLE BREAK-IN ATTEMPT!";
    private static final String RECEIVED_DISCONNECT = "Received disconnect from ";
    private static final String ERROR_RECEIVED_DISCONNECT = "error: Received disconnect from ";
    private static final String MAX_ATTEMPTS = "error: maximum authentication attempts exceeded for ";
    private static final String CONNECTION_CLOSED = "Connection closed by ";
    private static final String CONNECTION_RESET = "Connection reset by ";
    private static final String DISCONNECTED = "Disconnected from ";
    private static final String TOO_MANY = "Disconnecting: Too many authentication failures";
    private static final String DISCONNECTING = "Disconnecting ";
    private static final String NO_IDENTIFICATION = "Did not receive identification string from ";
    private static final String REVERSE_MAPPING = "reverse mapping checking getaddrinfo for ";
    private static final String ADDRESS = "Address ";

    private SshdMessages() {}

    /** Sets the action fields for a known sshd message; {@code false} when it is none of them. */
    static boolean classify(String msg, SecurityEvent.Builder b) {
        if (msg.isEmpty()) {
            return false;
        }
        switch (msg.charAt(0)) {
            case 'F':
                return msg.startsWith("Failed ") && login(msg, 7, false, b);
            case 'A':
                if (msg.startsWith("Accepted ")) {
                    return login(msg, 9, true, b);
                }
                return msg.startsWith(ADDRESS) && msg.endsWith(BREAK_IN) && addressBreakIn(msg, b);
            case 'I':
                if (msg.startsWith("Invalid user ")) {
                    return invalidUser(msg, 13, b);
                }
                return msg.startsWith("Illegal user ") && invalidUser(msg, 13, b);
            case 'r':
                return msg.startsWith(REVERSE_MAPPING) && msg.endsWith(BREAK_IN) && reverseMappingBreakIn(msg, b);
            case 'R':
                return msg.startsWith(RECEIVED_DISCONNECT) && disconnect(msg, RECEIVED_DISCONNECT.length(), b);
            case 'e':
                if (msg.startsWith(ERROR_RECEIVED_DISCONNECT)) {
                    return disconnect(msg, ERROR_RECEIVED_DISCONNECT.length(), b);
                }
                return msg.startsWith(MAX_ATTEMPTS) && maxAttempts(msg, MAX_ATTEMPTS.length(), b);
            case 'C':
                if (msg.startsWith(CONNECTION_CLOSED)) {
                    return disconnect(msg, CONNECTION_CLOSED.length(), b);
                }
                return msg.startsWith(CONNECTION_RESET) && disconnect(msg, CONNECTION_RESET.length(), b);
            case 'D':
                if (msg.startsWith(DISCONNECTED)) {
                    return disconnect(msg, DISCONNECTED.length(), b);
                }
                if (msg.startsWith(TOO_MANY)) {
                    return tooManyFailures(msg, b);
                }
                if (msg.startsWith(DISCONNECTING) && msg.contains(": Too many authentication failures")) {
                    AuthAction.SSH_TOO_MANY_AUTH_FAILURES.applyTo(b).eventOutcome("failure");
                    return userHostPort(msg, DISCONNECTING.length(), msg.indexOf(": Too many authentication failures"), b);
                }
                if (msg.startsWith(NO_IDENTIFICATION)) {
                    AuthAction.SSH_NO_IDENTIFICATION.applyTo(b);
                    return hostPort(msg, NO_IDENTIFICATION.length(), msg.length(), b);
                }
                return false;
            default:
                return false;
        }
    }

    /**
     * {@code Failed|Accepted <method> for [invalid user ]<user> from <host> port <n> ssh2[: <sig>]}.
     * {@code from} is the index just after "Failed "/"Accepted ".
     */
    private static boolean login(String msg, int from, boolean accepted, SecurityEvent.Builder b) {
        int methodEnd = msg.indexOf(' ', from);
        if (methodEnd <= from || !msg.startsWith("for ", methodEnd + 1)) {
            return false; // e.g. "Failed to release session"
        }
        int userStart = methodEnd + 5;
        boolean invalid = msg.startsWith("invalid user ", userStart) || msg.startsWith("illegal user ", userStart);
        if (invalid) {
            userStart += 13;
        }
        int fromAt = msg.lastIndexOf(" from ");
        if (fromAt < userStart - 1) {
            return false;
        }
        String method = msg.substring(from, methodEnd);
        boolean none = !accepted && method.equals("none");
        (none ? AuthAction.SSH_AUTH_NONE : AuthAction.SSH_LOGIN).applyTo(b)
                .eventOutcome(accepted ? "success" : "failure");
        b.field(METHOD, method);
        if (invalid) {
            b.field(INVALID_USER, "true");
        }
        b.userName(fromAt > userStart ? msg.substring(userStart, fromAt) : null);
        int sig = msg.indexOf(": ", fromAt + 6);
        int end = sig < 0 ? msg.length() : sig;
        if (sig >= 0) {
            b.field(SIGNATURE, msg.substring(sig + 2));
        }
        hostPort(msg, fromAt + 6, end, b);
        return true;
    }

    /** {@code Invalid user <user> from <host>[ port <n>]}; {@code from} is the index of the user. */
    private static boolean invalidUser(String msg, int from, SecurityEvent.Builder b) {
        int fromAt = msg.lastIndexOf(" from ");
        if (fromAt < from - 1) {
            return false;
        }
        AuthAction.SSH_INVALID_USER.applyTo(b).eventOutcome("failure");
        b.userName(fromAt > from ? msg.substring(from, fromAt) : null);
        hostPort(msg, fromAt + 6, msg.length(), b);
        return true;
    }

    /**
     * {@code <host>[ port <n>][ ssh2][ [preauth]]} within {@code msg[from..to)}: sets source.ip or
     * source.domain and source.port.
     */
    private static boolean hostPort(String msg, int from, int to, SecurityEvent.Builder b) {
        int hostEnd = msg.indexOf(' ', from);
        if (hostEnd < 0 || hostEnd > to) {
            hostEnd = to;
        }
        if (hostEnd > from && msg.charAt(hostEnd - 1) == ':') {
            hostEnd--; // old form "from 1.2.3.4: 11: Bye Bye"
        }
        Net.source(b, msg.substring(from, hostEnd));
        if (msg.startsWith(" port ", hostEnd)) {
            int p = hostEnd + 6;
            int q = p;
            while (q < to && Character.isDigit(msg.charAt(q))) {
                q++;
            }
            b.sourcePort(Net.port(msg, p, q));
        }
        return true;
    }

    /**
     * The part of the disconnect messages after their fixed prefix:
     * {@code [authenticating |invalid ]user <user> <host> port <n>…}, {@code <host> port <n>…}, or
     * the old {@code <host>: 11: …} / {@code <host> [preauth]}.
     */
    private static boolean disconnect(String msg, int from, SecurityEvent.Builder b) {
        AuthAction.SSH_DISCONNECT.applyTo(b);
        return userHostPort(msg, from, msg.length(), b);
    }

    private static boolean userHostPort(String msg, int from, int to, SecurityEvent.Builder b) {
        int userStart = -1;
        if (msg.startsWith("user ", from)) {
            userStart = from + 5;
        } else if (msg.startsWith("authenticating user ", from)) {
            userStart = from + 20;
        } else if (msg.startsWith("invalid user ", from)) {
            userStart = from + 13;
        }
        if (userStart < 0) {
            return hostPort(msg, from, to, b);
        }
        // "<user> <host> port <n>": the host is the last word before " port "
        int port = msg.lastIndexOf(" port ", to);
        if (port <= userStart) {
            return hostPort(msg, from, to, b);
        }
        int hostStart = msg.lastIndexOf(' ', port - 1) + 1;
        if (hostStart > userStart) {
            b.userName(Net.emptyToNull(msg.substring(userStart, hostStart - 1)));
        }
        return hostPort(msg, Math.max(hostStart, userStart), to, b);
    }

    /** {@code reverse mapping checking getaddrinfo for <name> [<ip>] failed - POSSIBLE BREAK-IN ATTEMPT!}. */
    private static boolean reverseMappingBreakIn(String msg, SecurityEvent.Builder b) {
        int nameStart = REVERSE_MAPPING.length();
        int open = msg.indexOf(" [", nameStart);
        int close = open < 0 ? -1 : msg.indexOf(']', open + 2);
        if (close < 0) {
            return false;
        }
        AuthAction.SSH_BREAK_IN_ATTEMPT.applyTo(b);
        String ip = msg.substring(open + 2, close);
        if (Net.isIp(ip)) {
            b.sourceIp(ip);
        }
        b.sourceDomain(Net.emptyToNull(msg.substring(nameStart, open)));
        return true;
    }

    /** {@code Address <ip> maps to <name>, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!}. */
    private static boolean addressBreakIn(String msg, SecurityEvent.Builder b) {
        int ipEnd = msg.indexOf(" maps to ", ADDRESS.length());
        if (ipEnd < 0) {
            return false;
        }
        AuthAction.SSH_BREAK_IN_ATTEMPT.applyTo(b);
        Net.source(b, msg.substring(ADDRESS.length(), ipEnd));
        int nameEnd = msg.indexOf(", but ", ipEnd);
        if (nameEnd > ipEnd + 9) {
            b.sourceDomain(msg.substring(ipEnd + 9, nameEnd));
        }
        return true;
    }

    /** {@code Disconnecting: Too many authentication failures[ for [invalid user ]<user>][ [preauth]]}. */
    private static boolean tooManyFailures(String msg, SecurityEvent.Builder b) {
        AuthAction.SSH_TOO_MANY_AUTH_FAILURES.applyTo(b).eventOutcome("failure");
        int forAt = msg.indexOf(" for ", TOO_MANY.length());
        if (forAt >= 0) {
            int start = forAt + 5;
            if (msg.startsWith("invalid user ", start)) {
                start += 13;
            }
            int end = msg.endsWith(" [preauth]") ? msg.length() - 10 : msg.length();
            if (end > start) {
                b.userName(msg.substring(start, end));
            }
        }
        return true;
    }

    /** {@code error: maximum authentication attempts exceeded for [invalid user ]<user> from <host> port <n> ssh2 [preauth]}. */
    private static boolean maxAttempts(String msg, int from, SecurityEvent.Builder b) {
        int fromAt = msg.lastIndexOf(" from ");
        if (fromAt < from) {
            return false;
        }
        AuthAction.SSH_TOO_MANY_AUTH_FAILURES.applyTo(b).eventOutcome("failure");
        int start = msg.startsWith("invalid user ", from) ? from + 13 : from;
        b.userName(fromAt > start ? msg.substring(start, fromAt) : null);
        return hostPort(msg, fromAt + 6, msg.length(), b);
    }
}
