package io.vigil.jobs.io;

import io.vigil.formats.input.Framers;
import io.vigil.formats.input.RecordFramer;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Reads log files for the FLIP-27 {@code FileSource} as {@link RawRecord}s, each file with its own
 * format and framing ({@link Framers}). Files are not split, so line numbers are exact; a file
 * ending in {@code .gz} is decompressed. The reference time of a file, used to place syslog
 * timestamps without a year, is its modification time.
 *
 * <p>The position checkpointed is the count of records emitted from the file, so a restored
 * reader skips exactly those.
 */
public final class RawRecordFileFormat implements BulkFormat<RawRecord, FileSourceSplit> {

    private static final long serialVersionUID = 1L;

    /** Records handed to Flink per batch. */
    static final int BATCH_SIZE = 512;

    private final HashMap<String, String> formatByPath;
    private final HashMap<String, String> nameByPath;
    private final String defaultFormat;
    private final int maxRecordBytes;

    /**
     * @param formatByPath the format of each file (by {@link #key}); files not in the map use
     *     {@code defaultFormat}
     * @param nameByPath the name each file's records carry as origin (the path as the user gave
     *     it); files not in the map carry their absolute path
     * @param defaultFormat the format of other files, or {@code null} to detect it per file
     * @param maxRecordBytes records longer than this are cut and dead-lettered
     */
    public RawRecordFileFormat(Map<String, String> formatByPath, Map<String, String> nameByPath, String defaultFormat,
                               int maxRecordBytes) {
        this.formatByPath = new HashMap<>(formatByPath);
        this.nameByPath = new HashMap<>(nameByPath);
        this.defaultFormat = defaultFormat;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new FileReader(open(split), 0);
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        RecordFramer framer = open(split);
        for (long i = 0; i < skip && framer.next() != null; i++) {
            // records already emitted before the checkpoint
        }
        return new FileReader(framer, skip);
    }

    private RecordFramer open(FileSourceSplit split) throws IOException {
        Path path = split.path();
        FileSystem fs = path.getFileSystem();
        Instant modified = Instant.ofEpochMilli(fs.getFileStatus(path).getModificationTime());
        InputStream in = fs.open(path);
        if (path.getName().endsWith(".gz")) {
            in = new GZIPInputStream(in, 64 * 1024);
        }
        String key = key(path);
        String format = formatByPath.getOrDefault(key, defaultFormat);
        return Framers.open(in, nameByPath.getOrDefault(key, key), format, modified, maxRecordBytes);
    }

    /** The key of a local file in the maps: its absolute, normalized path. */
    public static String key(java.nio.file.Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    private static String key(Path path) {
        return key(java.nio.file.Paths.get(path.toUri()));
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class FileReader implements BulkFormat.Reader<RawRecord> {
        private final RecordFramer framer;
        private long emitted;

        FileReader(RecordFramer framer, long alreadyEmitted) {
            this.framer = framer;
            this.emitted = alreadyEmitted;
        }

        @Override
        public RecordIterator<RawRecord> readBatch() throws IOException {
            RawRecord[] batch = new RawRecord[BATCH_SIZE];
            int n = 0;
            RawRecord r;
            while (n < BATCH_SIZE && (r = framer.next()) != null) {
                batch[n++] = r;
            }
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<RawRecord> it = new ArrayResultIterator<>();
            it.set(batch, n, CheckpointedPosition.NO_OFFSET, emitted);
            emitted += n;
            return it;
        }

        @Override
        public void close() throws IOException {
            framer.close();
        }
    }
}
