package io.vigil.context.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Map;

/**
 * One MaxMind DB format file, memory-mapped (the operating system shares its pages between the
 * tasks of a TaskManager; nothing of it is on the heap but what a lookup decodes), with the
 * reader's own cache of decoded records: bounded (4,096 records per file and task), it saves the
 * decode of a network seen before (measured on the ip-location-db country file: 760-860 ns per
 * event without it, 710 with it; city files decode more per record).
 */
final class GeoIpDatabase {

    private final String file;
    private final Reader reader;

    private GeoIpDatabase(String file, Reader reader) {
        this.file = file;
        this.reader = reader;
    }

    /** Opens {@code file}; the message of a failure names it and says what is wrong. */
    static GeoIpDatabase open(String file) throws IOException {
        File f = new File(file);
        if (!f.isFile()) {
            throw new IOException("geoip: " + file + ": no such file");
        }
        try {
            return new GeoIpDatabase(file, new Reader(f, Reader.FileMode.MEMORY_MAPPED, new CHMCache()));
        } catch (IOException | RuntimeException e) {
            throw new IOException("geoip: " + file + ": not a readable MaxMind DB file (" + e.getMessage() + ")", e);
        }
    }

    String file() {
        return file;
    }

    /** What the file says it is ({@code GeoLite2-City}, {@code country ipvAll}, …). */
    String type() {
        return reader.getMetadata().getDatabaseType();
    }

    /** Whether the file holds IPv6 addresses (an IPv4-only file cannot be asked about one). */
    boolean hasIpv6() {
        return reader.getMetadata().getIpVersion() == 6;
    }

    /** The record of the network {@code address} is in, or null: a walk of at most 128 tree nodes and one decode. */
    Map<?, ?> lookup(InetAddress address) {
        try {
            return reader.get(address, Map.class);
        } catch (IOException e) {
            // a corrupt part of the file: this lookup fails, the event keeps its other fields
            throw new UncheckedIOException("geoip: " + file + ": " + e.getMessage(), e);
        }
    }
}
