package io.vigil.formats;

import io.vigil.formats.zeek.ZeekHeader;
import io.vigil.formats.zeek.ZeekLog;
import io.vigil.formats.zeek.ZeekRow;
import io.vigil.formats.zeek.ZeekTime;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Zeek TSV logs. Each record is one data row; its {@link RawRecord#header()} holds the file's
 * header lines in force ({@code #separator}, {@code #fields}, {@code #path}, …) joined by
 * {@code \n}. The parsed header is cached by its text, since every row of a file repeats it.
 *
 * <p>Every row maps {@code ts} to the timestamp, {@code uid} to {@code zeek.session_id} and
 * {@code id.orig_h/p}, {@code id.resp_h/p} to source and destination. {@code #path} selects the
 * per-log mapping and the {@code zeek.<log>.<column>} allow-list (see {@link io.vigil.formats.zeek.ZeekLogs});
 * a path Vigil does not know is log content and never becomes a name: such rows get
 * {@code event.dataset} {@value #UNKNOWN_DATASET} and no extra fields. Unset ({@code -}) and
 * empty ({@code (empty)}) values are absent. Values are kept as Zeek wrote them (its
 * {@code \xHH} escapes are not undone).
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
        if (record.header() == null || record.header().isBlank()) {
            return DecodeResult.failure("Zeek row without its header: the #fields line must come before the data");
        }
        Object parsed = header(record.header());
        if (parsed instanceof String reason) {
            return DecodeResult.failure(reason);
        }
        ZeekHeader header = (ZeekHeader) parsed;

        String text = RecordUtf8.strict(record.bytes());
        boolean invalidUtf8 = text == null;
        if (invalidUtf8) {
            text = RecordUtf8.lossy(record.bytes());
        }
        String line = RecordUtf8.stripLineEnd(text);
        if (line.startsWith("#")) {
            return DecodeResult.failure("expected a Zeek data row, found a '#' header line");
        }
        String[] values = split(line, header);
        if (values == null) {
            return DecodeResult.failure("Zeek row has " + countFields(line, header.separator())
                    + " fields but #fields declares " + header.fields().length);
        }
        ZeekRow row = new ZeekRow(header, values);
        int tsColumn = header.indexOf("ts");
        if (tsColumn < 0) {
            return DecodeResult.failure("Zeek header has no ts field");
        }
        Instant timestamp = ZeekTime.epoch(values[tsColumn]);
        if (timestamp == null) {
            return DecodeResult.failure("Zeek ts is unset or not epoch seconds: '" + clip(values[tsColumn]) + "'");
        }

        ZeekLog log = header.log();
        SecurityEvent.Builder b = SecurityEvent.builder()
                .origin(record.origin())
                .timestamp(timestamp)
                .eventOriginal(line)
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
        return DecodeResult.of(b.build());
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
