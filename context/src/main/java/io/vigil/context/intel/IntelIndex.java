package io.vigil.context.intel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The indicators of one feed, held compactly for matching: every value is a byte key in one
 * {@link KeyTable} (a type tag, then the address bytes, the CIDR's prefix length and network
 * bytes, the domain or URL text, or the hash bytes), its value the number of its
 * {@link IndicatorMeta}, which is stored once per distinct tuple. A value is stored once with the
 * list of its tuples; of many tuples of one value the index keeps, per validity window, the most
 * confident, and at most {@link #MAX_PER_VALUE} windows (the most confident, then the latest
 * ending), counting the rest in {@link #dropped()}. Immutable once built.
 *
 * <p>Lookups cost a bounded number of hash probes: an address is looked up once, then once per
 * CIDR prefix length the feed has (at most 33 or 129); a domain once per parent domain (at most
 * 127 labels); a URL or hash once; each probe then reads the tuples of that value only (at most
 * {@link #MAX_PER_VALUE}).
 */
public final class IntelIndex {

    static final byte IPV4 = 1;
    static final byte IPV6 = 2;
    static final byte CIDR = 3;
    static final byte DOMAIN = 4;
    static final byte URL = 5;
    static final byte HASH = 6;

    /** Longest key: a tag and a URL of {@link IndicatorValues#MAX_URL} characters of up to 3 UTF-8 bytes. */
    static final int MAX_KEY = 1 + 3 * IndicatorValues.MAX_URL;

    /** Most tuples (validity windows) held per value: the same value from many tuples. */
    static final int MAX_PER_VALUE = 64;

    public static final IntelIndex EMPTY = builder().build();

    private final KeyTable table;
    private final IndicatorMeta[] metas;
    /** The CIDR prefix lengths present, longest first, per family. */
    private final int[] v4Prefixes;
    private final int[] v6Prefixes;

    private IntelIndex(KeyTable table, IndicatorMeta[] metas, int[] v4Prefixes, int[] v6Prefixes) {
        this.table = table;
        this.metas = metas;
        this.v4Prefixes = v4Prefixes;
        this.v6Prefixes = v6Prefixes;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static IntelIndex of(List<Indicator> indicators) {
        Builder b = builder();
        indicators.forEach(b::add);
        return b.build();
    }

    /** (value, metadata) pairs held. */
    public int size() {
        return table.records();
    }

    /** Distinct values held. */
    public int values() {
        return table.size();
    }

    /** (value, metadata) pairs left out: a lower confidence in the same validity window, or beyond {@link #MAX_PER_VALUE}. */
    public long dropped() {
        return table.dropped();
    }

    /** The tuples held for the indicator value of {@code i} (for tests of the bound). */
    int tuplesOf(Indicator i) {
        byte[] k = new byte[MAX_KEY];
        int e = table.find(k, key(i, k));
        return e < 0 ? 0 : table.end(e) - table.first(e);
    }

    /** Distinct metadata tuples held. */
    public int metadataCount() {
        return metas.length;
    }

    /** The bytes of the value arrays (without array headers and without the metadata objects). */
    public long arrayBytes() {
        return table.arrayBytes() + 4L * metas.length;
    }

    /** Offers the indicators of address {@code addr} (4 or 16 bytes), and of every CIDR holding it, to {@code best}. */
    void matchAddress(byte[] addr, String field, String atomic, Instant time, Match best) {
        byte[] k = best.key;
        k[0] = addr.length == 4 ? IPV4 : IPV6;
        System.arraycopy(addr, 0, k, 1, addr.length);
        offer(k, 1 + addr.length, field, atomic, time, best, null);
        int[] prefixes = addr.length == 4 ? v4Prefixes : v6Prefixes;
        for (int len : prefixes) {
            k[0] = CIDR;
            k[1] = (byte) len;
            System.arraycopy(addr, 0, k, 2, addr.length);
            IndicatorValues.mask(k, 2, addr.length, len);
            offer(k, 2 + addr.length, field, atomic, time, best, null);
        }
    }

    /** Offers the indicators of domain {@code domain} (normalized) and of each of its parent domains. */
    void matchDomain(String domain, String field, String atomic, Instant time, Match best) {
        int from = 0;
        while (from >= 0 && from < domain.length()) {
            int n = ascii(domain, from, best.key);
            offer(best.key, n, field, atomic, time, best, null);
            int dot = domain.indexOf('.', from);
            // a top-level domain alone is never an indicator worth matching every name under
            from = dot < 0 || domain.indexOf('.', dot + 1) < 0 ? -1 : dot + 1;
        }
    }

    /** Offers the indicators of URL {@code url} (normalized). */
    void matchUrl(String url, String field, String atomic, Instant time, Match best) {
        byte[] utf8 = url.getBytes(StandardCharsets.UTF_8);
        if (utf8.length + 1 > MAX_KEY) {
            return;
        }
        best.key[0] = URL;
        System.arraycopy(utf8, 0, best.key, 1, utf8.length);
        offer(best.key, 1 + utf8.length, field, atomic, time, best, url);
    }

    /** Offers the indicators of hash {@code hex} (32, 40 or 64 hex digits, any case). */
    void matchHash(String hex, String field, String atomic, Instant time, Match best) {
        int n = hex.length() / 2;
        if (hex.length() % 2 != 0 || n != 16 && n != 20 && n != 32 || !IndicatorValues.hex(hex)) {
            return;
        }
        byte[] k = best.key;
        k[0] = HASH;
        for (int i = 0; i < n; i++) {
            k[1 + i] = (byte) (Character.digit(hex.charAt(2 * i), 16) << 4 | Character.digit(hex.charAt(2 * i + 1), 16));
        }
        offer(k, 1 + n, field, atomic, time, best, null);
    }

    private void offer(byte[] key, int len, String field, String atomic, Instant time, Match best, String text) {
        int e = table.find(key, len);
        if (e < 0) {
            return;
        }
        for (int i = table.first(e), end = table.end(e); i < end; i++) {
            IndicatorMeta m = metas[table.record(i)];
            if (m.confidence() > best.confidence() && m.validAt(time)) {
                best.take(m.indicator(type(key, len), text != null ? text : value(key, len)), field, atomic);
            }
        }
    }

    private static int ascii(String s, int from, byte[] k) {
        k[0] = DOMAIN;
        int n = 1;
        for (int i = from; i < s.length(); i++) {
            k[n++] = (byte) s.charAt(i);
        }
        return n;
    }

    static Indicator.Type type(byte[] k, int len) {
        return switch (k[0]) {
            case IPV4 -> Indicator.Type.IPV4_ADDR;
            case IPV6 -> Indicator.Type.IPV6_ADDR;
            case CIDR -> Indicator.Type.CIDR;
            case DOMAIN -> Indicator.Type.DOMAIN_NAME;
            case URL -> Indicator.Type.URL;
            default -> len - 1 == 16 ? Indicator.Type.MD5 : len - 1 == 20 ? Indicator.Type.SHA1 : Indicator.Type.SHA256;
        };
    }

    /** The indicator value a key stands for, in its normal form. */
    static String value(byte[] k, int len) {
        return switch (k[0]) {
            case IPV4, IPV6 -> IndicatorValues.format(k, 1, len - 1);
            case CIDR -> IndicatorValues.format(k, 2, len - 2) + "/" + (k[1] & 0xff);
            case DOMAIN, URL -> new String(k, 1, len - 1, StandardCharsets.UTF_8);
            default -> {
                StringBuilder s = new StringBuilder(2 * (len - 1));
                for (int i = 1; i < len; i++) {
                    s.append(Character.forDigit((k[i] >> 4) & 0xf, 16)).append(Character.forDigit(k[i] & 0xf, 16));
                }
                yield s.toString();
            }
        };
    }

    /** Encodes a normalized indicator's value as its key into {@code k}; returns the length. */
    static int key(Indicator i, byte[] k) {
        String v = i.value();
        switch (i.type()) {
            case IPV4_ADDR, IPV6_ADDR -> {
                byte[] a = IndicatorValues.address(v);
                k[0] = a.length == 4 ? IPV4 : IPV6;
                System.arraycopy(a, 0, k, 1, a.length);
                return 1 + a.length;
            }
            case CIDR -> {
                int slash = v.indexOf('/');
                byte[] a = IndicatorValues.address(v.substring(0, slash));
                int len = IndicatorValues.prefixLength(v, slash + 1);
                if (a.length == 4 && len == 32 || a.length == 16 && len == 128) {
                    // a one-address network is that address
                    k[0] = a.length == 4 ? IPV4 : IPV6;
                    System.arraycopy(a, 0, k, 1, a.length);
                    return 1 + a.length;
                }
                k[0] = CIDR;
                k[1] = (byte) len;
                System.arraycopy(a, 0, k, 2, a.length);
                IndicatorValues.mask(k, 2, a.length, len);
                return 2 + a.length;
            }
            case DOMAIN_NAME -> {
                return ascii(v, 0, k);
            }
            case URL -> {
                byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
                if (utf8.length + 1 > MAX_KEY) {
                    throw new IllegalArgumentException("URL longer than " + IndicatorValues.MAX_URL + " characters");
                }
                k[0] = URL;
                System.arraycopy(utf8, 0, k, 1, utf8.length);
                return 1 + utf8.length;
            }
            default -> {
                int n = v.length() / 2;
                k[0] = HASH;
                for (int j = 0; j < n; j++) {
                    k[1 + j] = (byte) (Character.digit(v.charAt(2 * j), 16) << 4
                            | Character.digit(v.charAt(2 * j + 1), 16));
                }
                return 1 + n;
            }
        }
    }

    /**
     * The best match of one event so far: the valid indicator of the highest confidence (the first
     * found among equals) with the field and value it matched. One per enriching thread: it also
     * holds the scratch key, so a lookup allocates nothing until it finds something.
     */
    static final class Match {
        final byte[] key = new byte[MAX_KEY];
        Indicator indicator;
        String field;
        String atomic;

        int confidence() {
            return indicator == null ? -1 : indicator.confidence();
        }

        void take(Indicator i, String f, String a) {
            indicator = i;
            field = f;
            atomic = a;
        }

        void clear() {
            indicator = null;
            field = null;
            atomic = null;
        }
    }

    /** Collects indicators into an index. */
    public static final class Builder {
        private final KeyTable table = new KeyTable();
        private final Map<IndicatorMeta, Integer> metaIds = new HashMap<>();
        private final List<IndicatorMeta> metas = new ArrayList<>();
        private final Map<String, String> strings = new HashMap<>();
        private final boolean[] v4 = new boolean[33];
        private final boolean[] v6 = new boolean[129];
        private final byte[] key = new byte[MAX_KEY];

        private Builder() {}

        /** Adds {@code i} (its value normalized, as the feeds give it); the same value and metadata twice is held once (O(1)). */
        public Builder add(Indicator i) {
            IndicatorMeta m = IndicatorMeta.of(i);
            Integer id = metaIds.get(m);
            if (id == null) {
                // one copy of each repeated string (feed, provider) across tuples
                m = new IndicatorMeta(share(m.feed()), m.confidence(), m.validFrom(), m.validUntil(),
                        share(m.provider()), m.id(), share(m.description()));
                id = metas.size();
                metas.add(m);
                metaIds.put(m, id);
            }
            int len = key(i, key);
            if (key[0] == CIDR) {
                (len == 6 ? v4 : v6)[key[1] & 0xff] = true;
            }
            table.add(key, len, id);
            return this;
        }

        private String share(String s) {
            return s == null ? null : strings.computeIfAbsent(s, x -> x);
        }

        public IntelIndex build() {
            table.build(this::select);
            return new IntelIndex(table, metas.toArray(new IndicatorMeta[0]), present(v4), present(v6));
        }

        /**
         * Of the tuples {@code ids[0..n)} of one value, keeps per validity window the most confident
         * (the first added among equals: lower ones never win a match in that window), then at most
         * {@link #MAX_PER_VALUE} windows, the most confident and then the latest ending; in adding order.
         */
        private int select(int[] ids, int n) {
            Map<List<Instant>, Integer> windows = new HashMap<>();
            int kept = 0;
            for (int i = 0; i < n; i++) {
                IndicatorMeta m = metas.get(ids[i]);
                List<Instant> window = java.util.Arrays.asList(m.validFrom(), m.validUntil());
                Integer at = windows.get(window);
                if (at == null) {
                    windows.put(window, kept);
                    ids[kept++] = ids[i];
                } else if (m.confidence() > metas.get(ids[at]).confidence()) {
                    ids[at] = ids[i];
                }
            }
            if (kept <= MAX_PER_VALUE) {
                return kept;
            }
            Integer[] order = new Integer[kept];
            for (int i = 0; i < kept; i++) {
                order[i] = ids[i];
            }
            java.util.Arrays.sort(order, Comparator.<Integer>comparingInt(id -> metas.get(id).confidence()).reversed()
                    .thenComparing(id -> metas.get(id).validUntil(), Comparator.nullsFirst(Comparator.<Instant>reverseOrder())));
            int[] best = new int[MAX_PER_VALUE];
            for (int i = 0; i < MAX_PER_VALUE; i++) {
                best[i] = order[i];
            }
            // back to adding order (ids grow with adding order of new tuples)
            java.util.Arrays.sort(best);
            System.arraycopy(best, 0, ids, 0, MAX_PER_VALUE);
            return MAX_PER_VALUE;
        }

        private static int[] present(boolean[] lengths) {
            int n = 0;
            for (boolean b : lengths) {
                n += b ? 1 : 0;
            }
            int[] out = new int[n];
            for (int len = lengths.length - 1, at = 0; len >= 0; len--) {
                if (lengths[len]) {
                    out[at++] = len;
                }
            }
            return out;
        }
    }
}
