package io.vigil.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One framed input record before decoding: a line of a log file, one JSON record, or one Kafka
 * record value.
 *
 * @param bytes the record exactly as read (line terminator removed); for a record over the
 *     size limit only its first bytes, see {@code truncatedFrom}
 * @param origin where it came from (for an {@code .evtx} file, {@code offset} is the byte offset
 *     of the record, or of the damaged chunk, in the file)
 * @param format the decoder to use ({@code syslog}, {@code access}, {@code windows}, …)
 * @param header format context carried by the stream, not by the record: the Zeek
 *     {@code #fields} line (and {@code #path}) in force for this row; for a record of an
 *     {@code .evtx} file, the reason the file reader could not read it (a damaged chunk or record,
 *     whose bytes are then the damaged bytes), {@code null} for a good one; {@code null} for other
 *     formats
 * @param referenceTime the time the stream was written around (file modification time, Kafka
 *     record timestamp); used to place timestamps that carry no year; may be {@code null}
 * @param truncatedFrom the full length in bytes when the record exceeded the size limit and only
 *     a prefix is held, otherwise {@code -1}
 */
public record RawRecord(
        byte[] bytes, Origin origin, String format, String header, Instant referenceTime, long truncatedFrom) {

    public RawRecord {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(format, "format");
    }

    public static RawRecord of(byte[] bytes, Origin origin, String format) {
        return new RawRecord(bytes, origin, format, null, null, -1);
    }

    public boolean truncated() {
        return truncatedFrom >= 0;
    }

    public RawRecord withFormat(String newFormat) {
        return new RawRecord(bytes, origin, newFormat, header, referenceTime, truncatedFrom);
    }
}
