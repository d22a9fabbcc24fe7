package io.vigil.simulate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes each format to its usual file in a directory: {@code auth.log}, {@code security.json}
 * (NDJSON), {@code access.log}, one record a line. Each file's modification time is set to its
 * last record's time, so a replay places the year-less syslog timestamps in the right year.
 */
public final class FileSink implements RecordSink {

    /** The file each format is written to. */
    public static final Map<String, String> FILES = Map.of(
            GeneratedRecord.SYSLOG, "auth.log",
            GeneratedRecord.WINDOWS, "security.json",
            GeneratedRecord.ACCESS, "access.log");

    private final Path dir;
    private final Map<String, OutputStream> streams = new LinkedHashMap<>();
    private final Map<String, Instant> last = new LinkedHashMap<>();

    public FileSink(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        // the three files always exist, so a run that wrote none of a format leaves it empty, not stale
        for (String format : new String[] {GeneratedRecord.SYSLOG, GeneratedRecord.WINDOWS, GeneratedRecord.ACCESS}) {
            streams.put(format, new BufferedOutputStream(Files.newOutputStream(dir.resolve(FILES.get(format))), 1 << 16));
        }
    }

    @Override
    public void write(GeneratedRecord record) throws IOException {
        OutputStream out = streams.get(record.format());
        if (out == null) {
            throw new IOException("no file for format '" + record.format() + "'");
        }
        out.write(record.bytes());
        out.write('\n');
        last.put(record.format(), record.time());
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Map.Entry<String, OutputStream> e : streams.entrySet()) {
            try {
                e.getValue().close();
                Instant t = last.get(e.getKey());
                if (t != null) {
                    Files.setLastModifiedTime(dir.resolve(FILES.get(e.getKey())), FileTime.from(t));
                }
            } catch (IOException ex) {
                if (failure == null) {
                    failure = ex;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String describe() {
        return dir.resolve(FILES.get(GeneratedRecord.SYSLOG)) + ", " + dir.resolve(FILES.get(GeneratedRecord.WINDOWS))
                + ", " + dir.resolve(FILES.get(GeneratedRecord.ACCESS));
    }
}
