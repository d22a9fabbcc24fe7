package io.vigil.formats;

import java.util.List;

/** The names of the formats Vigil decodes, as given to {@code --format}. */
public final class Formats {

    /** sshd and Linux auth/syslog: /var/log/auth.log, /var/log/secure, /var/log/messages; RFC 3164 and RFC 5424. */
    public static final String SYSLOG = "syslog";
    /** Apache/Nginx access logs, combined and common. */
    public static final String ACCESS = "access";
    /** Windows Security/System/Sysmon events as JSON (Winlogbeat or NXLog/Logstash). */
    public static final String WINDOWS = "windows";
    /** AWS CloudTrail, a {"Records":[…]} file or one record per line. */
    public static final String CLOUDTRAIL = "cloudtrail";
    /** Zeek logs: TSV with their #fields header, or JSON (LogAscii::use_json, zeek-kafka). */
    public static final String ZEEK = "zeek";
    /** ECS JSON documents, passed through. */
    public static final String ECS = "ecs";
    /**
     * Windows event log files ({@code .evtx}) read natively: each record is rendered as evtx_dump's
     * JSON and decoded as {@link #WINDOWS}; a damaged chunk or record is a dead letter of this format.
     */
    public static final String EVTX = "evtx";

    public static final List<String> ALL = List.of(SYSLOG, ACCESS, WINDOWS, CLOUDTRAIL, ZEEK, ECS, EVTX);

    /**
     * The formats a stream (a Kafka topic) can carry: every format but {@link #EVTX}, which names
     * binary files; Windows events streamed as JSON (evtx_dump, Winlogbeat, NXLog) are {@link #WINDOWS}.
     */
    public static final List<String> STREAMED = List.of(SYSLOG, ACCESS, WINDOWS, CLOUDTRAIL, ZEEK, ECS);

    private Formats() {}

    public static boolean isKnown(String format) {
        return ALL.contains(format);
    }
}
