package io.vigil.jobs.config;

import io.vigil.formats.Formats;
import io.vigil.formats.zeek.ZeekHeader;
import io.vigil.formats.zeek.ZeekLogs;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The header the records of each Zeek topic get ({@code RawRecord.header}), from
 * {@code kafka.zeek-headers} (a topic of TSV rows: the header lines of its log) and
 * {@code kafka.zeek-paths} (a topic of JSON entries that name no log), read and checked once,
 * when the configuration is: every problem names its key and what to do.
 *
 * <p>A header is given inline (text starting with {@code #}) or as a file: a Zeek log, or just
 * the {@code #} lines at its top, of which the leading {@code #} lines are read (so a real log of
 * the topic's kind serves). A path alone becomes the header {@code #path<TAB><log>}.
 */
final class ZeekTopicHeaders {

    /** Far more than a Zeek header (a few hundred bytes), far less than a mistaken multi-gigabyte file. */
    static final int MAX_HEADER_CHARS = 64 * 1024;

    private ZeekTopicHeaders() {}

    /**
     * Topic → header text.
     *
     * @throws IllegalArgumentException naming every problem
     */
    static Map<String, String> resolve(Map<String, String> topics, Map<String, String> headers,
                                       Map<String, String> paths) {
        List<String> problems = new ArrayList<>();
        Map<String, String> out = new TreeMap<>();
        SortedSet<String> configured = new TreeSet<>(headers.keySet());
        configured.addAll(paths.keySet());
        for (String topic : configured) {
            String header = headers.get(topic);
            String path = paths.get(topic);
            String key = header != null ? VigilOptions.KAFKA_ZEEK_HEADERS.key() : VigilOptions.KAFKA_ZEEK_PATHS.key();
            if (!Formats.ZEEK.equals(topics.get(topic))) {
                problems.add(key + "." + topic + ": topic '" + topic + "' is not read as zeek; add '" + topic
                        + ": zeek' to " + VigilOptions.KAFKA_TOPICS.key());
                continue;
            }
            try {
                out.put(topic, header(topic, header, path));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return out;
    }

    private static String header(String topic, String value, String path) {
        String pathKey = VigilOptions.KAFKA_ZEEK_PATHS.key() + "." + topic;
        if (path != null && !ZeekLogs.names().contains(path)) {
            throw new IllegalArgumentException(pathKey + ": '" + path + "' is not a Zeek log Vigil maps; one of "
                    + ZeekLogs.names());
        }
        if (value == null) {
            return "#path\t" + path;
        }
        String key = VigilOptions.KAFKA_ZEEK_HEADERS.key() + "." + topic;
        boolean inline = value.startsWith("#");
        String where = inline ? key : key + " (" + value + ")";
        String text = inline ? value : readHeaderLines(key, Path.of(value));
        ZeekHeader parsed;
        try {
            parsed = ZeekHeader.parse(text);
        } catch (ZeekHeader.Invalid e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        if (!parsed.hasFields()) {
            throw new IllegalArgumentException(where + ": no #fields line; give the '#' lines at the top of a Zeek "
                    + "log of this topic's kind (#separator, #fields, #path, …), or that log file itself");
        }
        if (parsed.indexOf("ts") < 0) {
            throw new IllegalArgumentException(where + ": #fields has no ts column");
        }
        if (path == null) {
            return text;
        }
        if (parsed.path() != null && !parsed.path().equals(path)) {
            throw new IllegalArgumentException(pathKey + " is '" + path + "' but the #path of " + key + " is '"
                    + parsed.path() + "'; keep one");
        }
        return parsed.path() != null ? text : text.stripTrailing() + "\n#path" + parsed.separator() + path;
    }

    /** The leading '#' lines of a file, joined by '\n'; at most {@value #MAX_HEADER_CHARS} characters are read. */
    private static String readHeaderLines(String key, Path file) {
        char[] head = new char[MAX_HEADER_CHARS + 1];
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (int r; n < head.length && (r = in.read(head, n, head.length - n)) > 0; ) {
                n += r;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot read the Zeek header file " + file + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        List<String> lines = new ArrayList<>();
        boolean dataReached = false;
        for (String line : new String(head, 0, n).split("\n", -1)) {
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!line.isEmpty() && !line.startsWith("#")) {
                dataReached = true;
                break;
            }
            if (!line.isEmpty() && !line.startsWith("#close")) {
                lines.add(line);
            }
        }
        if (!dataReached && n > MAX_HEADER_CHARS) {
            throw new IllegalArgumentException(key + " (" + file + "): the '#' lines at its top exceed "
                    + MAX_HEADER_CHARS + " characters: not a Zeek header");
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(key + " (" + file + "): no '#' header lines at its top; give a Zeek "
                    + "TSV log of this topic's kind, or its '#' lines");
        }
        return String.join("\n", lines);
    }
}
