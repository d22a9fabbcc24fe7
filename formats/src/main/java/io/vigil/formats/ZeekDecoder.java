package io.vigil.formats;

import io.vigil.formats.zeek.ZeekHeader;
import io.vigil.formats.zeek.ZeekJsonRecord;
import io.vigil.formats.zeek.ZeekLog;
import io.vigil.formats.zeek.ZeekRow;
import io.vigil.formats.zeek.ZeekTime;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Zeek logs, TSV or JSON, told apart per record: a record whose first non-blank character is an
 * opening brace (or bracket) is a JSON log entry, any other a TSV data row.
 *
 * <p><b>TSV.</b> Each record is one data row; its {@link RawRecord#header()} holds the header
 * lines in force ({@code #separator}, {@code #fields}, {@code #path}, …) joined by {@code \n}:
 * from the file, or configured per Kafka topic. The parsed header is cached by its text, since
 * every row of a stream repeats it. Unset ({@code -}) and empty ({@code (empty)}) values are
 * absent. Values are kept as Zeek wrote them (its {@code \xHH} escapes are not undone).
 *
 * <p><b>JSON</b> ({@code LogAscii::use_json=T}, the zeek-kafka plugin): read by
 * {@link ZeekJsonRecord} into the columns the TSV form would have, then mapped the same way.
 * The log is the record's tag ({@code {"conn":{…}}}), else its {@code _path}, else the
 * {@code #path} of the stream's header (a topic's configured path, a file named after its log).
 * {@code ts} is epoch seconds ({@code JSON::TS_EPOCH}), an integer of epoch milliseconds
 * ({@code JSON::TS_MILLIS}) or an ISO 8601 string ({@code JSON::TS_ISO8601}).
 *
 * <p>Both forms map {@code ts} to the timestamp, {@code uid} to {@code zeek.session_id} and
 * {@code id.orig_h/p}, {@code id.resp_h/p} to source and destination. The log selects the
 * per-log mapping and the {@code zeek.<log>.<column>} allow-list (see {@link io.vigil.formats.zeek.ZeekLogs});
 * a log Vigil does not know is log content and never becomes a name: its records get
 * {@code event.dataset} {@value #UNKNOWN_DATASET} and no extra fields.
 *
 * <p>Not thread-safe (the header cache): one instance per task, as {@link Decoder} says.
 */
public final class ZeekDecoder implements Decoder {

    public static final String MODULE = "zeek";
    public static final String UNKNOWN_DATASET = "zeek.unknown";
    private static final int CACHE_SIZE = 64;

    /** Parsed headers, or the reason a header is unusable, by header text. */
    private final Map<String, Object> headers = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public ZeekDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.ZEEK;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        String text = RecordUtf8.strict(record.bytes());
        boolean invalidUtf8 = text == null;
        if (invalidUtf8) {
            text = RecordUtf8.lossy(record.bytes());
        }
        String line = RecordUtf8.stripLineEnd(text);
        if (isJson(line)) {
            return invalidUtf8
                    ? DecodeResult.failure("Zeek JSON record is not valid UTF-8 (Zeek escapes such bytes as \\xHH)")
                    : decodeJson(record, line.strip());
        }
        return decodeRow(record, line, invalidUtf8);
    }

    /**
     * Whether the first non-blank character opens a JSON object (or an array, which no TSV row
     * starts with either: it gets the reason that it is not an object).
     */
    private static boolean isJson(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\uFEFF') {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    private DecodeResult decodeRow(RawRecord record, String line, boolean invalidUtf8) {
        if (record.header() == null || record.header().isBlank()) {
            return DecodeResult.failure("Zeek row without its header: the #fields line must come before the data "
                    + "(over Kafka: configure the topic's Zeek header, or send Zeek JSON)");
        }
        Object parsed = header(record.header());
        if (parsed instanceof String reason) {
            return DecodeResult.failure(reason);
        }
        ZeekHeader header = (ZeekHeader) parsed;
        if (!header.hasFields()) {
            return DecodeResult.failure("Zeek header has no #fields line");
        }
        if (line.startsWith("#")) {
            return DecodeResult.failure("expected a Zeek data row, found a '#' header line");
        }
        String[] values = split(line, header);
        if (values == null) {
            return DecodeResult.failure("Zeek row has " + countFields(line, header.separator())
                    + " fields but #fields declares " + header.fields().length);
        }
        int tsColumn = header.indexOf("ts");
        if (tsColumn < 0) {
            return DecodeResult.failure("Zeek header has no ts field");
        }
        Instant timestamp = ZeekTime.epoch(values[tsColumn]);
        if (timestamp == null) {
            return DecodeResult.failure("Zeek ts is unset or not epoch seconds: '" + clip(values[tsColumn]) + "'");
        }
        return DecodeResult.of(event(record, line, header, values, timestamp, invalidUtf8));
    }

    private DecodeResult decodeJson(RawRecord record, String json) {
        ZeekJsonRecord entry;
        try {
            entry = ZeekJsonRecord.read(json);
        } catch (ZeekJsonRecord.Malformed e) {
            return DecodeResult.failure(e.getMessage());
        }
        String path = entry.path();
        if (path == null) {
            path = streamPath(record.header());
        }
        if (path == null) {
            return DecodeResult.failure("Zeek JSON record names no log: it is not tagged ({\"conn\": {…}}), has no "
                    + "_path, and its stream gives none (configure the topic's Zeek path, or name the file after "
                    + "its log, conn.log)");
        }
        Instant timestamp = jsonTime(entry);
        if (timestamp == null) {
            return DecodeResult.failure(entry.tsType() == ZeekJsonRecord.TsType.ABSENT
                    ? "Zeek JSON record has no ts"
                    : "Zeek JSON ts is not epoch seconds, epoch milliseconds or an ISO 8601 time: '"
                            + clip(entry.ts()) + "'");
        }
        ZeekHeader columns = ZeekHeader.ofColumns(path, entry.names());
        return DecodeResult.of(event(record, json, columns, entry.values(), timestamp, false));
    }

    /** The time of a JSON record by how its ts was written, or {@code null}. */
    private static Instant jsonTime(ZeekJsonRecord entry) {
        String ts = entry.ts();
        return switch (entry.tsType()) {
            case DECIMAL -> ZeekTime.epoch(ts);
            case INTEGER -> ZeekTime.epochMillis(ts);
            case STRING -> {
                Instant seconds = ZeekTime.epoch(ts);
                yield seconds != null ? seconds : ZeekTime.iso(ts);
            }
            default -> null;
        };
    }

    /** The {@code #path} of a stream's header, for JSON records that name no log; {@code null} when none. */
    private String streamPath(String headerText) {
        if (headerText == null || headerText.isBlank()) {
            return null;
        }
        Object parsed = header(headerText);
        return parsed instanceof ZeekHeader h ? h.path() : null;
    }

    /** The event of one row, TSV or JSON: the columns of {@code header} hold {@code values}. */
    private static SecurityEvent event(RawRecord record, String original, ZeekHeader header, String[] values,
                                       Instant timestamp, boolean invalidUtf8) {
        ZeekRow row = new ZeekRow(header, values);
        ZeekLog log = header.log();
        SecurityEvent.Builder b = SecurityEvent.builder()
                .origin(record.origin())
                .timestamp(timestamp)
                .eventOriginal(original)
                .eventModule(MODULE)
                .eventDataset(log == null ? UNKNOWN_DATASET : log.dataset())
                .sourceIp(row.get("id.orig_h"))
                .sourcePort(row.integer("id.orig_p"))
                .destinationIp(row.get("id.resp_h"))
                .destinationPort(row.integer("id.resp_p"))
                .field("zeek.session_id", row.get("uid"));
        if (log != null) {
            b.eventAction(log.action());
            log.categories().forEach(b::addEventCategory);
            log.types().forEach(b::addEventType);
            for (int i = 0; i < values.length; i++) {
                String name = header.extraName(i);
                if (name != null) {
                    b.field(name, values[i]);
                }
            }
            log.mapper().map(row, b);
        }
        if (invalidUtf8) {
            b.tag(RecordUtf8.INVALID_UTF8_TAG);
        }
        return b.build();
    }

    private Object header(String text) {
        Object cached = headers.get(text);
        if (cached == null) {
            try {
                cached = ZeekHeader.parse(text);
            } catch (ZeekHeader.Invalid e) {
                cached = e.getMessage();
            }
            headers.put(text, cached);
        }
        return cached;
    }

    /** The row's columns with unset/empty values as {@code null}, or {@code null} when the count is wrong. */
    private static String[] split(String line, ZeekHeader header) {
        String sep = header.separator();
        String[] fields = header.fields();
        String[] values = new String[fields.length];
        int start = 0;
        for (int k = 0; k < fields.length; k++) {
            int end;
            if (k == fields.length - 1) {
                end = line.length();
                if (line.indexOf(sep, start) >= 0) {
                    return null; // more columns than declared
                }
            } else {
                end = line.indexOf(sep, start);
                if (end < 0) {
                    return null; // fewer columns than declared
                }
            }
            String v = line.substring(start, end);
            values[k] = v.isEmpty() || v.equals(header.unsetField()) || v.equals(header.emptyField()) ? null : v;
            start = end + sep.length();
        }
        return values;
    }

    private static int countFields(String line, String sep) {
        int count = 1;
        for (int i = line.indexOf(sep); i >= 0; i = line.indexOf(sep, i + sep.length())) {
            count++;
        }
        return count;
    }

    private static String clip(String v) {
        return v == null ? "" : v.length() <= 40 ? v : v.substring(0, 40) + "…";
    }
}
