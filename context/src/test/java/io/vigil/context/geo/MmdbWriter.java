package io.vigil.context.geo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB files for tests, from the format specification (MaxMind DB File Format
 * 2.0): an IPv6 search tree with 32-bit records (IPv4 networks under {@code ::/96}), a data section
 * of maps, strings, unsigned integers, doubles and arrays, and the metadata map after the
 * {@code \xAB\xCD\xEFMaxMind.com} marker. Networks must not overlap.
 */
public final class MmdbWriter {

    private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i',
        'n', 'd', '.', 'c', 'o', 'm'};

    /** A node of the search tree: each side is a Node, an Integer (index of a record), or null (no data). */
    private static final class Node {
        Object[] side = new Object[2];
    }

    private final String databaseType;
    private final Node root = new Node();
    private final List<Map<String, ?>> records = new ArrayList<>();

    public MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
    }

    /** Adds {@code record} for the network {@code cidr} ({@code 81.2.69.0/24}, {@code 2a02:ff::/32}). */
    public MmdbWriter add(String cidr, Map<String, ?> record) throws IOException {
        int slash = cidr.indexOf('/');
        byte[] raw = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
        int length = Integer.parseInt(cidr.substring(slash + 1));
        byte[] bits = new byte[16];
        if (raw.length == 4) {
            System.arraycopy(raw, 0, bits, 12, 4);
            length += 96;
        } else {
            bits = raw;
        }
        records.add(record);
        Node n = root;
        for (int i = 0; i < length; i++) {
            int bit = (bits[i / 8] >> (7 - i % 8)) & 1;
            if (i == length - 1) {
                n.side[bit] = records.size() - 1;
            } else {
                if (!(n.side[bit] instanceof Node)) {
                    n.side[bit] = new Node();
                }
                n = (Node) n.side[bit];
            }
        }
        return this;
    }

    /** A record in MaxMind's GeoIP2 City shape. */
    public static Map<String, Object> city(String iso, String country, String continent, String city, String region,
                                           double lat, double lon) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("continent", Map.of("code", continent, "names", Map.of("en", continent)));
        r.put("country", Map.of("iso_code", iso, "names", Map.of("en", country)));
        r.put("city", Map.of("names", Map.of("en", city)));
        r.put("subdivisions", List.of(Map.of("names", Map.of("en", region))));
        r.put("location", Map.of("latitude", lat, "longitude", lon));
        return r;
    }

    /** Writes the file to {@code file} and returns it. */
    public Path write(Path file) throws IOException {
        List<Node> nodes = new ArrayList<>();
        number(root, nodes);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        for (Map<String, ?> r : records) {
            offsets.add(data.size());
            encode(r, data);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = nodes.size();
        java.util.IdentityHashMap<Node, Integer> ids = new java.util.IdentityHashMap<>();
        for (int i = 0; i < count; i++) {
            ids.put(nodes.get(i), i);
        }
        for (Node n : nodes) {
            for (Object s : n.side) {
                long v;
                if (s instanceof Node child) {
                    v = ids.get(child);
                } else if (s instanceof Integer record) {
                    v = (long) count + 16 + offsets.get(record);
                } else {
                    v = count;
                }
                writeUnsigned(out, v, 4);
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(METADATA_MARKER);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("node_count", new Uint32(count));
        meta.put("record_size", new Uint16(32));
        meta.put("ip_version", new Uint16(6));
        meta.put("database_type", databaseType);
        meta.put("languages", List.of("en"));
        meta.put("binary_format_major_version", new Uint16(2));
        meta.put("binary_format_minor_version", new Uint16(0));
        meta.put("build_epoch", new Uint64(1_717_200_000L));
        meta.put("description", Map.of("en", "Vigil test database"));
        encode(meta, out);
        Files.write(file, out.toByteArray());
        return file;
    }

    private static void number(Node n, List<Node> nodes) {
        // breadth first: the root is node 0
        List<Node> queue = new ArrayList<>();
        queue.add(n);
        for (int i = 0; i < queue.size(); i++) {
            nodes.add(queue.get(i));
            for (Object s : queue.get(i).side) {
                if (s instanceof Node child) {
                    queue.add(child);
                }
            }
        }
    }

    /** An unsigned 16-bit value (a Java int would be written as uint32). */
    public record Uint16(int value) {}

    public record Uint32(long value) {}

    public record Uint64(long value) {}

    private static void encode(Object v, ByteArrayOutputStream out) {
        if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            control(out, 2, b.length);
            out.writeBytes(b);
        } else if (v instanceof Double d) {
            control(out, 3, 8);
            writeUnsigned(out, Double.doubleToLongBits(d), 8);
        } else if (v instanceof Uint16 u) {
            unsigned(out, 5, u.value());
        } else if (v instanceof Uint32 u) {
            unsigned(out, 6, u.value());
        } else if (v instanceof Integer i) {
            unsigned(out, 6, i);
        } else if (v instanceof Long l) {
            unsigned(out, 6, l);
        } else if (v instanceof Uint64 u) {
            unsigned(out, 9, u.value());
        } else if (v instanceof Map<?, ?> m) {
            control(out, 7, m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                encode(e.getKey(), out);
                encode(e.getValue(), out);
            }
        } else if (v instanceof List<?> l) {
            control(out, 11, l.size());
            for (Object o : l) {
                encode(o, out);
            }
        } else {
            throw new IllegalArgumentException("not written: " + v);
        }
    }

    private static void unsigned(ByteArrayOutputStream out, int type, long value) {
        int bytes = 0;
        for (long x = value; x != 0; x >>>= 8) {
            bytes++;
        }
        control(out, type, bytes);
        writeUnsigned(out, value, bytes);
    }

    /** The control byte(s): the type in the top three bits (or 0 and an extended type byte), then the size. */
    private static void control(ByteArrayOutputStream out, int type, int size) {
        int typeBits = type <= 7 ? type << 5 : 0;
        byte[] extra;
        int sizeBits;
        if (size < 29) {
            sizeBits = size;
            extra = new byte[0];
        } else if (size < 29 + 256) {
            sizeBits = 29;
            extra = new byte[] {(byte) (size - 29)};
        } else if (size < 285 + 65536) {
            sizeBits = 30;
            int s = size - 285;
            extra = new byte[] {(byte) (s >> 8), (byte) s};
        } else {
            sizeBits = 31;
            int s = size - 65821;
            extra = new byte[] {(byte) (s >> 16), (byte) (s >> 8), (byte) s};
        }
        out.write(typeBits | sizeBits);
        if (type > 7) {
            out.write(type - 7);
        }
        out.writeBytes(extra);
    }

    private static void writeUnsigned(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }
}
