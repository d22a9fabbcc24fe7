package io.vigil.formats.syslog;

import io.vigil.model.SecurityEvent;

/**
 * The {@code event.action} vocabulary of the syslog decoder, each with its ECS
 * {@code event.category} and {@code event.type} (allowed values only). Rules match on
 * {@link #action()}; the strings are part of Vigil's contract and do not change lightly.
 */
public enum AuthAction {
    /** sshd {@code Failed|Accepted <method> for [invalid user] X from IP port N}; outcome failure/success. */
    SSH_LOGIN("ssh_login", "authentication", "start"),
    /** sshd {@code Failed none for …}: the client asked which methods are allowed; no credential was tried. */
    SSH_AUTH_NONE("ssh_auth_none", "authentication", "info"),
    /** sshd {@code Invalid user X from IP [port N]}. */
    SSH_INVALID_USER("ssh_invalid_user", "authentication", "info"),
    /** sshd reverse-DNS mismatch, {@code POSSIBLE BREAK-IN ATTEMPT!}. */
    SSH_BREAK_IN_ATTEMPT("ssh_break_in_attempt", "network", "info"),
    /** sshd {@code Too many authentication failures} / {@code maximum authentication attempts exceeded}. */
    SSH_TOO_MANY_AUTH_FAILURES("ssh_too_many_auth_failures", "authentication", "info"),
    /** sshd {@code Received disconnect}, {@code Disconnected from}, {@code Connection closed/reset by}. */
    SSH_DISCONNECT("ssh_disconnect", "network", "end"),
    /** sshd {@code Did not receive identification string from IP}: a port probe or scanner. */
    SSH_NO_IDENTIFICATION("ssh_no_identification", "network", "info"),
    /** PAM {@code authentication failure; … rhost=… user=…}, any service. */
    PAM_AUTH_FAILURE("pam_auth_failure", "authentication", "info"),
    /** PAM {@code check pass; user unknown}. */
    PAM_USER_UNKNOWN("pam_user_unknown", "authentication", "info"),
    /** sudo command lines ({@code alice : TTY=… ; USER=root ; COMMAND=…}), and its refusals. */
    SUDO("sudo", "process", "start"),
    /** su switching user ({@code (to root) alice on pts/0}, {@code FAILED SU …}). */
    SU("su", "process", "start"),
    /** useradd {@code new user: name=…}. */
    USER_CREATED("user_created", "iam", "user", "creation"),
    /** userdel {@code delete user 'x'}. */
    USER_DELETED("user_deleted", "iam", "user", "deletion"),
    /** groupadd/useradd {@code new group: name=…}. */
    GROUP_CREATED("group_created", "iam", "group", "creation"),
    /** groupdel {@code group 'x' removed}, userdel {@code removed group 'x' owned by 'y'}. */
    GROUP_DELETED("group_deleted", "iam", "group", "deletion"),
    /** usermod/gpasswd {@code add 'x' to [shadow] group 'y'}, {@code user x added by y to group z}. */
    USER_ADDED_TO_GROUP("user_added_to_group", "iam", "group", "change"),
    /** usermod/gpasswd {@code delete 'x' from [shadow] group 'y'}, {@code user x removed by y from group z}. */
    USER_REMOVED_FROM_GROUP("user_removed_from_group", "iam", "group", "change"),
    /** PAM {@code password changed for x}, passwd {@code password for 'x' changed by 'y'}. */
    PASSWORD_CHANGED("password_changed", "iam", "user", "change"),
    /** PAM {@code session opened for user x}, any service. */
    SESSION_OPENED("session_opened", "session", "start"),
    /** PAM {@code session closed for user x}, any service. */
    SESSION_CLOSED("session_closed", "session", "end");

    private final String action;
    private final String category;
    private final String[] types;

    AuthAction(String action, String category, String... types) {
        this.action = action;
        this.category = category;
        this.types = types;
    }

    /** The {@code event.action} string. */
    public String action() {
        return action;
    }

    /** Sets {@code event.action}, {@code event.category} and {@code event.type}. */
    public SecurityEvent.Builder applyTo(SecurityEvent.Builder b) {
        return b.eventAction(action).eventCategory(category).eventType(types);
    }
}
