package io.vigil.bench.peers;

import io.vigil.model.SecurityEvent;
import java.util.Locale;

/**
 * The conditions of the two compared rules, written once in Java for the peers (Flink CEP
 * conditions and key selectors; Esper calls {@link #authKey} and {@link #noiseAccount}). They
 * restate the DRL: {@code ssh-brute-force} in {@code ssh.drl}, and the functions
 * {@code authKey}, {@code isFailedLogon}, {@code isSuccessfulLogon}, {@code isNoiseAccount} and
 * {@code isLoopback} of {@code auth.drl}. The alert comparison would show any drift.
 */
public final class AuthLogic {

    private AuthLogic() {}

    /** {@code ssh-brute-force}: a failed ssh login with a source address. */
    public static boolean isFailedSshLogin(SecurityEvent e) {
        return "ssh_login".equals(e.eventAction()) && "failure".equals(e.eventOutcome()) && e.sourceIp() != null;
    }

    /** {@code brute-force-then-success}: an event of the sequence (its key is not null). */
    public static boolean isLogonStep(SecurityEvent e) {
        return e.eventAction() != null && e.eventOutcome() != null && authKey(e) != null
                && (isFailedLogon(e) || isSuccessfulLogon(e));
    }

    public static boolean isFailedLogon(SecurityEvent e) {
        String a = e.eventAction();
        if (a == null || !"failure".equals(e.eventOutcome())) {
            return false;
        }
        return a.equals("ssh_login") || a.equals("logon-failed") || a.equals("ConsoleLogin")
                || (a.equals("pam_auth_failure") && !"sshd".equals(e.field("system.auth.pam.service")));
    }

    public static boolean isSuccessfulLogon(SecurityEvent e) {
        String a = e.eventAction();
        if (a == null || !"success".equals(e.eventOutcome())) {
            return false;
        }
        if (a.equals("logged-in")) {
            String type = e.field("winlog.logon.type");
            return !"Service".equals(type) && !"Batch".equals(type) && !noiseAccount(e.userName());
        }
        return a.equals("ssh_login") || a.equals("ConsoleLogin");
    }

    /** The sequence's group key: the source address, else (none, or loopback) the account. */
    public static String authKey(SecurityEvent e) {
        return authKey(e.sourceIp(), e.userName());
    }

    public static String authKey(String ip, String user) {
        if (ip != null && !ip.isEmpty() && !loopback(ip)) {
            return ip;
        }
        return user == null ? null : user.toLowerCase(Locale.ROOT);
    }

    public static boolean loopback(String ip) {
        return ip != null && (ip.equals("::1") || ip.startsWith("127."));
    }

    public static boolean noiseAccount(String user) {
        if (user == null) {
            return true;
        }
        String u = user.toLowerCase(Locale.ROOT);
        return u.endsWith("$") || u.equals("anonymous logon") || u.equals("system") || u.equals("local service")
                || u.equals("network service") || u.startsWith("dwm-") || u.startsWith("umfd-") || u.equals("-");
    }
}
