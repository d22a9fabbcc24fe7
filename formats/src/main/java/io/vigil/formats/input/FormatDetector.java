package io.vigil.formats.input;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.Formats;
import io.vigil.formats.evtx.EvtxReader;
import io.vigil.model.EcsJson;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Guesses the format of an input from its first records, so that {@code --format} is needed only
 * when the guess is impossible. Each sample line votes; the format with most votes wins, and no
 * votes means "unknown" (the caller asks for {@code --format}).
 */
public final class FormatDetector {

    private static final Pattern ACCESS = Pattern.compile(
            "^\\S+ \\S+ .*?\\[\\d{1,2}/[A-Za-z]{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] \"");
    private static final Pattern SYSLOG = Pattern.compile(
            "^(<\\d{1,3}>)?(1 )?([A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} |\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})");

    /** Keys of evtx_dump's pretty-printed documents: an {@code Event} object holding a {@code System} object. */
    private static final Pattern EVTX_EVENT = Pattern.compile("\"Event\"\\s*:\\s*\\{");
    private static final Pattern EVTX_SYSTEM = Pattern.compile("\"System\"\\s*:\\s*\\{");

    private FormatDetector() {}

    /**
     * The detected format of a stream whose first bytes are {@code head}, or {@code null}.
     *
     * @param head the first bytes of the stream (a few KiB are enough)
     */
    public static String detect(byte[] head) {
        if (EvtxReader.isEvtx(head)) {
            return Formats.EVTX;
        }
        if (EvtxRecordLines.startsWithOne(head)) {
            head = EvtxRecordLines.afterFirstLine(head); // evtx_dump's "Record <id>" before its JSON
        }
        String text = new String(head, StandardCharsets.UTF_8);
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("#separator") || trimmed.startsWith("#fields")) {
            return Formats.ZEEK;
        }
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            return detectJson(trimmed);
        }
        Map<String, Integer> votes = new HashMap<>();
        List<String> lines = trimmed.lines().limit(50).toList();
        for (String line : lines) {
            if (ACCESS.matcher(line).find()) {
                votes.merge(Formats.ACCESS, 1, Integer::sum);
            } else if (SYSLOG.matcher(line).find()) {
                votes.merge(Formats.SYSLOG, 1, Integer::sum);
            }
        }
        return votes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    private static String detectJson(String text) {
        if (text.startsWith("{\"Records\"") || text.replaceAll("\\s", "").startsWith("{\"Records\"")) {
            return Formats.CLOUDTRAIL;
        }
        // the first line of NDJSON, or the first element of an array
        String first = text.startsWith("[") ? text.substring(1).stripLeading() : text;
        int nl = first.indexOf('\n');
        String candidate = nl > 0 ? first.substring(0, nl) : first;
        JsonNode node;
        try {
            node = EcsJson.MAPPER.readTree(candidate);
        } catch (Exception e) {
            // pretty-printed: look at the field names that appear anywhere in the head
            return byKeys(first);
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        if (node.has("EventID") || node.has("winlog") || node.has("EventId") || isEvtxDump(node)) {
            return Formats.WINDOWS;
        }
        if (node.has("eventSource") && node.has("eventName")) {
            return Formats.CLOUDTRAIL;
        }
        if (node.has("@timestamp")) {
            return Formats.ECS;
        }
        if (isZeekJson(node)) {
            return Formats.ZEEK;
        }
        return null;
    }

    /** evtx_dump's rendering of a Windows event: {@code {"Event": {"System": {…}, …}}}. */
    private static boolean isEvtxDump(JsonNode node) {
        JsonNode event = node.get("Event");
        return event != null && event.isObject() && event.path("System").isObject();
    }

    /**
     * A Zeek JSON log entry: Zeek's {@code ts} column at the top ({@code LogAscii::use_json=T}),
     * or in the record a zeek-kafka tag wraps ({@code {"conn":{"ts":…}}}).
     */
    private static boolean isZeekJson(JsonNode node) {
        if (node.has("ts")) {
            return true;
        }
        var members = node.properties().iterator();
        if (!members.hasNext()) {
            return false;
        }
        JsonNode first = members.next().getValue();
        return first.isObject() && first.has("ts");
    }

    private static String byKeys(String text) {
        if (text.contains("\"EventID\"") || text.contains("\"winlog\"")
                || (EVTX_EVENT.matcher(text).find() && EVTX_SYSTEM.matcher(text).find())) {
            return Formats.WINDOWS;
        }
        if (text.contains("\"eventSource\"") && text.contains("\"eventName\"")) {
            return Formats.CLOUDTRAIL;
        }
        if (text.contains("\"@timestamp\"")) {
            return Formats.ECS;
        }
        return null;
    }
}
