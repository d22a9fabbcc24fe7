package io.vigil.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vigil.formats.windows.Channel;
import io.vigil.formats.windows.WinEcsMapper;
import io.vigil.formats.windows.WinJsonReader;
import io.vigil.formats.windows.WinRecord;
import io.vigil.formats.windows.WinTime;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one Windows event record as JSON (a line of NDJSON or a Kafka value) into one
 * {@link SecurityEvent}. Three shapes are read: NXLog/Logstash flat records ({@code EventID},
 * {@code Channel}, EventData at the top level: the OTRF datasets), Winlogbeat documents
 * ({@code winlog.event_id}, {@code winlog.event_data.*}) and evtx_dump's rendering of the event XML
 * ({@code Event.System}, {@code Event.EventData}/{@code Event.UserData}).
 *
 * <p>Time: UTC stamps are preferred ({@code @timestamp}, then evtx_dump's
 * {@code System.TimeCreated.SystemTime}, which is what Winlogbeat puts in {@code @timestamp}, then
 * Sysmon {@code UtcTime}, then an ISO {@code TimeCreated} with a zone); only when a record has none
 * is a host-local stamp
 * ({@code EventTime}, zone-less {@code TimeCreated}) read in {@link DecoderOptions#zone()}.
 *
 * <p>Not thread-safe (it reuses a UTF-8 decoder): one instance per task, as {@link Decoder} says.
 */
public final class WindowsEventDecoder implements Decoder {

    private static final Logger LOG = LoggerFactory.getLogger(WindowsEventDecoder.class);

    private final ZoneId zone;
    private final WinJsonReader reader = new WinJsonReader(JsonFactory.builder().build());
    /**
     * Reads record bytes directly. Charset detection is off: the bytes were checked to be UTF-8,
     * and detection would take zero bytes for UTF-16 where the text reader sees control characters.
     */
    private final WinJsonReader byteReader = new WinJsonReader(
            JsonFactory.builder().disable(JsonFactory.Feature.CHARSET_DETECTION).build());
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    public WindowsEventDecoder(DecoderOptions options) {
        this.zone = options.zone();
    }

    @Override
    public String format() {
        return Formats.WINDOWS;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        String text;
        try {
            text = utf8(record.bytes());
        } catch (InvalidUtf8 e) {
            return DecodeResult.failure("invalid UTF-8 at byte " + e.offset);
        }
        String json = text;
        if (!json.isEmpty() && json.charAt(0) == '\uFEFF') {
            json = json.substring(1); // a byte-order mark left on a file's first line
        }
        if (json.isBlank()) {
            return DecodeResult.failure("empty record");
        }

        WinRecord rec = readFast(record.bytes());
        try {
            if (rec == null) {
                rec = reader.read(json);
            }
        } catch (JsonProcessingException e) {
            return DecodeResult.failure("invalid JSON: " + e.getOriginalMessage() + where(e.getLocation()));
        } catch (WinJsonReader.NotAnObjectException e) {
            return DecodeResult.failure(e.getMessage());
        } catch (IOException e) {
            return DecodeResult.failure("invalid JSON: " + e.getMessage());
        }

        if (rec.evtxShape && !rec.evtxSystem && rec.eventId == null && rec.eventCode == null) {
            return DecodeResult.failure("evtx_dump document without an Event.System object");
        }
        String idText = rec.eventId != null ? rec.eventId : rec.eventCode;
        if (idText == null) {
            return DecodeResult.failure(rec.evtxShape
                    ? "no Event.System.EventID"
                    : "no EventID (nor winlog.event_id / event.code)");
        }
        int eventId = eventId(idText);
        if (eventId < 0) {
            return DecodeResult.failure("EventID is not an event id: '" + abbreviate(idText) + "'");
        }

        Instant timestamp = time(rec);
        if (timestamp == null) {
            String stamps = rec.evtxShape ? "Event.System.TimeCreated.SystemTime" : "@timestamp, UtcTime, TimeCreated or EventTime";
            return DecodeResult.failure(rec.atTimestamp == null && rec.utcTime == null && rec.timeCreated == null
                    && rec.eventTime == null && rec.systemTime == null
                    ? "no event time (" + stamps + ")"
                    : "no readable event time (" + stamps + ")");
        }

        Channel channel = Channel.of(rec.channel, rec.provider());
        String channelName = channel.display(rec.channel);
        SecurityEvent.Builder b = SecurityEvent.builder()
                .timestamp(timestamp)
                .origin(record.origin())
                .eventOriginal(text);
        WinEcsMapper.map(rec, channel, channelName, eventId, b);
        if (LOG.isTraceEnabled()) {
            LOG.trace("decoded {} event {} at {}", channelName, eventId, record.origin());
        }
        return DecodeResult.of(b.build());
    }

    /**
     * The record parsed from its bytes, or {@code null} when it must be read from the text: a
     * byte-order mark (which the text reader drops), or any failure, whose reason is taken from
     * the text reader so that it names character positions as it always did.
     */
    private WinRecord readFast(byte[] bytes) {
        if (RecordUtf8.startsWithByteOrderMark(bytes)) {
            return null;
        }
        try {
            return byteReader.read(bytes);
        } catch (IOException | WinJsonReader.NotAnObjectException e) {
            return null;
        }
    }

    /** The event time, UTC stamps first; see the class comment. */
    private Instant time(WinRecord rec) {
        WinTime.Stamp at = WinTime.parse(rec.atTimestamp);
        if (at != null) {
            return at.in(ZoneOffset.UTC); // Logstash/Beats write @timestamp in UTC
        }
        WinTime.Stamp system = WinTime.parse(rec.systemTime);
        if (system != null) {
            return system.in(ZoneOffset.UTC); // SystemTime is UTC by definition
        }
        WinTime.Stamp utc = WinTime.parse(rec.utcTime);
        if (utc != null) {
            return utc.in(ZoneOffset.UTC);
        }
        WinTime.Stamp created = WinTime.parse(rec.timeCreated);
        if (created != null && created.zoned()) {
            return created.in(zone);
        }
        WinTime.Stamp local = WinTime.parse(rec.eventTime);
        if (local != null) {
            return local.in(zone);
        }
        return created != null ? created.in(zone) : null;
    }

    /** Event ids are small non-negative integers, written as a number or a string. */
    private static int eventId(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String where(JsonLocation loc) {
        if (loc == null) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static final class InvalidUtf8 extends Exception {
        final int offset;

        InvalidUtf8(int offset) {
            super(null, null, false, false);
            this.offset = offset;
        }
    }

    /**
     * Strict UTF-8 decoding that reports where the first bad byte is. Pure ASCII, most records,
     * is copied without a decoder.
     */
    private String utf8(byte[] bytes) throws InvalidUtf8 {
        String ascii = RecordUtf8.ascii(bytes);
        if (ascii != null) {
            return ascii;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        utf8.reset();
        CoderResult r = utf8.decode(in, out, true);
        if (r.isError()) {
            throw new InvalidUtf8(in.position());
        }
        r = utf8.flush(out);
        if (r.isError()) {
            throw new InvalidUtf8(in.position());
        }
        out.flip();
        return out.toString();
    }
}
