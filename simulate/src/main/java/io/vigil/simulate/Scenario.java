package io.vigil.simulate;

import java.util.List;

/** The attack scenarios the generator mixes into benign traffic, and the rules each should fire. */
public enum Scenario {
    /** sshd: failed passwords from one address, then an accepted password and a session. */
    SSH_BRUTE_FORCE("ssh-brute-force-then-success", "ssh-brute-force", "brute-force-then-success"),
    /** sshd: {@code Invalid user} for a list of common account names from one address. */
    SSH_USER_ENUMERATION("ssh-user-enumeration", "ssh-user-enumeration"),
    /** Windows 4625 for several accounts from one workstation over NTLM, {@code IpAddress} "-". */
    PASSWORD_SPRAY("windows-password-spray", "password-spray"),
    /** Windows 4720 then 4726 of the same account a few minutes later. */
    WINDOWS_BACKDOOR_ACCOUNT("windows-backdoor-account", "account-created-and-deleted"),
    /** Linux: sudo useradd, shadow-utils {@code new user}, then {@code userdel} a few minutes later. */
    LINUX_BACKDOOR_ACCOUNT("linux-backdoor-account", "account-created-and-deleted"),
    /** Windows 1102: the Security log cleared. */
    SECURITY_LOG_CLEARED("security-log-cleared", "security-log-cleared"),
    /** Windows System 7045: the PsExec service PSEXESVC installed. */
    PSEXEC_SERVICE_INSTALLED("psexec-service-installed", "service-installed"),
    /** Access log: one client requesting many distinct missing paths (404). */
    WEB_SCAN("web-scan", "web-scanner"),
    /** Access log: SQL injection and path traversal in request URLs. */
    WEB_ATTACK("web-attack", "web-attack-pattern");

    private final String id;
    private final List<String> rules;

    Scenario(String id, String... rules) {
        this.id = id;
        this.rules = List.of(rules);
    }

    /** A stable name for summaries. */
    public String id() {
        return id;
    }

    /** The ids of the rules this scenario is meant to fire. */
    public List<String> rules() {
        return rules;
    }
}
