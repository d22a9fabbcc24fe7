package io.vigil.formats.syslog;

/**
 * The header fields of one syslog line and its message, as written (nothing normalized yet).
 *
 * @param format which header layout the line uses
 * @param priority the {@code <PRI>} value (facility * 8 + severity), or {@code null} when absent
 * @param timestamp the timestamp, or {@code null} for an RFC 5424 NILVALUE ({@code -})
 * @param hostname the sending host, or {@code null} when absent or NILVALUE
 * @param appName the program tag ({@code sshd}, {@code sshd(pam_unix)}), or {@code null}
 * @param procId the process id as written, or {@code null}
 * @param msgId the RFC 5424 MSGID, or {@code null}
 * @param message the message text (never {@code null}, may be empty)
 */
public record SyslogLine(
        Format format,
        Integer priority,
        SyslogTimestamp timestamp,
        String hostname,
        String appName,
        String procId,
        String msgId,
        String message) {

    /** The header layouts this decoder reads. */
    public enum Format {
        /** {@code Mmm dd hh:mm:ss host tag[pid]: msg}, BSD syslog. */
        RFC3164,
        /** {@code <PRI>1 timestamp host app procid msgid [SD] msg}. */
        RFC5424,
        /** rsyslog's high-precision form: an RFC 3339 timestamp in place of the BSD one. */
        ISO8601
    }
}
