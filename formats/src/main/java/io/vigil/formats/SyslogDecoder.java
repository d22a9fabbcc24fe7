package io.vigil.formats;

import io.vigil.formats.syslog.AuthClassifier;
import io.vigil.formats.syslog.SyslogLine;
import io.vigil.formats.syslog.SyslogLineParser;
import io.vigil.formats.syslog.TimestampResolver;
import io.vigil.model.DeadLetter;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one syslog line of {@code /var/log/auth.log}, {@code /var/log/secure} or
 * {@code /var/log/messages} (RFC 3164, RFC 5424, rsyslog's ISO timestamp form) into
 * {@code system.auth} / {@code system.syslog} events, reading sshd, PAM, sudo, su and the
 * account tools into the {@link io.vigil.formats.syslog.AuthAction} vocabulary.
 *
 * <p>Every line with a syslog timestamp and host decodes; lines this decoder does not read
 * further are plain {@code system.syslog} events without an action. Only empty lines and lines
 * that are not syslog at all fail. {@code message repeated N times: [ msg ]} becomes N events
 * of {@code msg}, numbered by {@code event.sequence}, so that counts over events are counts of
 * what happened.
 *
 * <p>State: the decoder is a function of its input except for the year of RFC 3164 timestamps
 * when a year is configured, which follows each stream across New Year (see
 * {@link TimestampResolver}, a bounded per-stream map). Without a configured year and without a
 * record reference time the current clock decides the year, as a last resort. Not thread-safe:
 * use one per task.
 */
public final class SyslogDecoder implements Decoder {

    /** Most events one {@code message repeated} line expands to; beyond it the line is tagged. */
    public static final int MAX_REPEAT = 10_000;

    static final String DATASET_AUTH = "system.auth";
    static final String DATASET_SYSLOG = "system.syslog";
    static final String TAG_INVALID_UTF8 = "vigil_invalid_utf8";
    static final String TAG_REPEATED = "vigil_message_repeated";
    static final String TAG_REPEAT_CAPPED = "vigil_repeat_capped";
    static final String TAG_NO_TIMESTAMP = "vigil_timestamp_missing";

    private static final String REPEATED = "message repeated ";

    private static final String[] FACILITIES = {
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
        "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5",
        "local6", "local7"
    };
    private static final String[] SEVERITIES = {
        "emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"
    };

    private final SyslogLineParser parser = new SyslogLineParser();
    private final TimestampResolver timestamps;

    public SyslogDecoder(DecoderOptions options) {
        this(options, Clock.systemUTC());
    }

    /** With the clock that stands in for a missing reference time (tests fix it). */
    SyslogDecoder(DecoderOptions options, Clock clock) {
        this.timestamps = new TimestampResolver(options.year(), options.zone(), clock);
    }

    @Override
    public String format() {
        return Formats.SYSLOG;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        byte[] bytes = record.bytes();
        int length = bytes.length;
        while (length > 0 && (bytes[length - 1] == '\r' || bytes[length - 1] == '\n')) {
            length--; // framing removed the terminator; a CRLF file still leaves its '\r'
        }
        if (length == 0) {
            return DecodeResult.failure("empty line");
        }
        String line = new String(bytes, 0, length, StandardCharsets.UTF_8);
        // The lossy decode above replaced bad bytes by U+FFFD; only then is the strict check worth it.
        boolean invalidUtf8 = line.indexOf('\uFFFD') >= 0
                && DeadLetter.strictUtf8(Arrays.copyOf(bytes, length)) == null;
        if (line.isBlank()) {
            return DecodeResult.failure("blank line");
        }
        SyslogLineParser.Parsed parsed = parser.parse(line);
        if (parsed.error() != null) {
            return DecodeResult.failure(parsed.error());
        }
        SyslogLine sl = parsed.line();

        SecurityEvent.Builder b = SecurityEvent.builder()
                .origin(record.origin())
                .eventOriginal(line)
                .eventKind("event")
                .eventModule("system");
        if (sl.timestamp() != null) {
            TimestampResolver.Resolved resolved = timestamps.resolve(sl.timestamp(), record);
            if (resolved.error() != null) {
                return DecodeResult.failure(resolved.error());
            }
            b.timestamp(resolved.instant());
        } else if (record.referenceTime() != null) {
            b.timestamp(record.referenceTime()).tag(TAG_NO_TIMESTAMP);
        } else {
            return DecodeResult.failure("RFC 5424 record without a timestamp and no reference time to use instead");
        }
        if (invalidUtf8) {
            b.tag(TAG_INVALID_UTF8);
        }
        header(sl, b);

        String message = sl.message();
        int repeat = 0;
        if (message.startsWith(REPEATED)) {
            int i = REPEATED.length();
            long n = 0;
            while (i < message.length() && Character.isDigit(message.charAt(i)) && n <= Integer.MAX_VALUE) {
                n = n * 10 + (message.charAt(i++) - '0');
            }
            if (n >= 1 && message.startsWith(" times: [", i)) {
                int end = message.endsWith("]") ? message.length() - 1 : message.length();
                message = message.substring(Math.min(i + 9, end), end).strip();
                if (n > MAX_REPEAT) {
                    b.tag(TAG_REPEAT_CAPPED);
                }
                repeat = (int) Math.min(n, MAX_REPEAT);
                b.tag(TAG_REPEATED);
            }
        }
        b.message(message);
        AuthClassifier.Program program = AuthClassifier.Program.of(sl.appName());
        b.processName(program.name());
        boolean auth = AuthClassifier.classify(program.name(), program.pamModule(), message, b);
        b.eventDataset(auth ? DATASET_AUTH : DATASET_SYSLOG);

        if (repeat == 0) {
            return DecodeResult.of(b.build());
        }
        List<SecurityEvent> events = new ArrayList<>(repeat);
        for (long seq = 1; seq <= repeat; seq++) {
            events.add(b.eventSequence(seq).build());
        }
        return DecodeResult.of(events);
    }

    /** host.*, process.pid and log.syslog.* from the header. */
    private static void header(SyslogLine sl, SecurityEvent.Builder b) {
        String host = sl.hostname();
        b.hostName(host).hostHostname(host);
        b.field("log.syslog.hostname", host);
        b.field("log.syslog.appname", sl.appName());
        String procId = sl.procId();
        if (procId != null) {
            b.field("log.syslog.procid", procId);
            b.processPid(pid(procId));
        }
        b.field("log.syslog.msgid", sl.msgId());
        if (sl.format() == SyslogLine.Format.RFC5424) {
            b.field("log.syslog.version", "1");
        }
        Integer pri = sl.priority();
        if (pri != null) {
            int facility = pri >> 3;
            int severity = pri & 7;
            b.field("log.syslog.priority", Integer.toString(pri));
            b.field("log.syslog.facility.code", Integer.toString(facility));
            b.field("log.syslog.facility.name", FACILITIES[facility]);
            b.field("log.syslog.severity.code", Integer.toString(severity));
            b.field("log.syslog.severity.name", SEVERITIES[severity]);
        }
    }

    /** The numeric process id, or {@code null} when the PROCID is not a number (RFC 5424 allows any). */
    private static Long pid(String procId) {
        int n = procId.length();
        if (n == 0 || n > 18) {
            return null;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = procId.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
