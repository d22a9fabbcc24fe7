package io.vigil.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Writes {@link EcsJson}'s documents by streaming them through one reused {@link JsonGenerator}
 * per thread, without building a tree: writing is on the path of every event a job emits, and a
 * tree costs a map per object and a node per value.
 *
 * <p>Every value of a document is an entry named by its dotted path ({@code process.parent.pid},
 * {@code vigil.origin}). The entries are gathered in name order, merging the modelled fields
 * (their order fixed once from {@link EcsJson#FIELDS}) with {@link SecurityEvent#fields()}
 * (already sorted); in that order all names under one object are adjacent, so one pass opens and
 * closes each nested object exactly once. Keys thus come out in name order in every object.
 *
 * <p>The document is the one {@link EcsJson#toTree(SecurityEvent)} describes: each entry is put at
 * its path in write order (modelled, then extras, then the origin), so when two names clash (one
 * equal to or a prefix of the other, like an extra {@code log.file.path} or {@code process.parent})
 * only the later-written one survives. Clashes are found by comparing neighbours in name order and
 * are resolved on a slow path, as decoders do not produce them.
 */
final class EcsStreamWriter {

    private static final int STRING = 0;
    private static final int INT = 1;
    private static final int LONG = 2;
    private static final int LIST = 3;
    private static final int ORIGIN = 4;

    /** A modelled field ready to stream: its path split once, its rank its place in the table. */
    private record Modelled(String name, SerializedString[] path, int type, int rank,
                            Function<SecurityEvent, Object> get) {}

    /** Write order: the timestamp, the table, the extras (in name order), then the origin. */
    private static final int TIMESTAMP_RANK = 0;
    private static final int EXTRA_RANK = 1 + EcsJson.FIELDS.size();
    private static final int ORIGIN_RANK = Integer.MAX_VALUE - 1;
    private static final int FILE_PATH_RANK = Integer.MAX_VALUE;

    private static final Modelled[] MODELLED = modelled();

    private static final SerializedString[] TIMESTAMP_PATH = split(EcsJson.TIMESTAMP);
    private static final SerializedString[] ORIGIN_PATH = split(EcsJson.ORIGIN);
    private static final SerializedString[] FILE_PATH_PATH = split(EcsJson.LOG_FILE_PATH);

    private static final String RAW_VALUE = "raw.value";
    private static final String RAW_ENCODING = "raw.encoding";
    private static final String RAW_BYTES = "raw.bytes";
    private static final String DECODER = "decoder";
    private static final String REASON = "reason";
    private static final String DEAD_LETTER_KIND = "vigil.dead_letter.kind";
    private static final String RULE_ID = "rule.id";
    private static final SerializedString[] RAW_VALUE_PATH = split(RAW_VALUE);
    private static final SerializedString[] RAW_ENCODING_PATH = split(RAW_ENCODING);
    private static final SerializedString[] RAW_BYTES_PATH = split(RAW_BYTES);
    private static final SerializedString[] DECODER_PATH = split(DECODER);
    private static final SerializedString[] REASON_PATH = split(REASON);
    private static final SerializedString[] DEAD_LETTER_KIND_PATH = split(DEAD_LETTER_KIND);
    private static final SerializedString[] RULE_ID_PATH = split(RULE_ID);

    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString PARTITION = new SerializedString("partition");
    private static final SerializedString OFFSET = new SerializedString("offset");

    /**
     * Split names of extra fields. Decoders draw them from fixed allow-lists, so this stays small;
     * past {@link #PATH_CACHE_LIMIT} names are split per use instead.
     */
    private static final ConcurrentHashMap<String, SerializedString[]> PATHS = new ConcurrentHashMap<>();
    private static final int PATH_CACHE_LIMIT = 16_384;

    /** Most entries one event has: timestamp, every modelled field, every extra, the origin pair. */
    private static final int MAX_ENTRIES = 1 + EcsJson.FIELDS.size() + ExtraFields.MAX_PER_EVENT + 2;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private EcsStreamWriter() {}

    static String write(SecurityEvent event) {
        Scratch s = SCRATCH.get();
        try {
            s.collect(event);
            return s.emit();
        } catch (IOException e) {
            SCRATCH.remove();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            // the generator may be left inside a document: never reuse it
            SCRATCH.remove();
            throw e;
        }
    }

    static String write(DeadLetter letter) {
        Scratch s = SCRATCH.get();
        try {
            s.collect(letter);
            return s.emit();
        } catch (IOException e) {
            SCRATCH.remove();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            SCRATCH.remove();
            throw e;
        }
    }

    private static Modelled[] modelled() {
        List<Modelled> all = new ArrayList<>();
        for (int i = 0; i < EcsJson.FIELDS.size(); i++) {
            EcsJson.Field f = EcsJson.FIELDS.get(i);
            int type = switch (f.kind()) {
                case STRING -> STRING;
                case INT -> INT;
                case LONG -> LONG;
                case LIST -> LIST;
            };
            all.add(new Modelled(f.name(), split(f.name()), type, 1 + i, f.get()));
        }
        all.sort(Comparator.comparing(Modelled::name));
        return all.toArray(Modelled[]::new);
    }

    private static SerializedString[] split(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        SerializedString[] path = new SerializedString[parts.length];
        for (int i = 0; i < parts.length; i++) {
            path[i] = new SerializedString(parts[i]);
        }
        return path;
    }

    private static SerializedString[] pathOf(String extra) {
        SerializedString[] path = PATHS.get(extra);
        if (path == null) {
            path = split(extra);
            if (PATHS.size() < PATH_CACHE_LIMIT) {
                PATHS.putIfAbsent(extra, path);
            }
        }
        return path;
    }

    /** Whether writing one name replaces what the other left: equal names, or one under the other. */
    static boolean clash(String a, String b) {
        return under(a, b) || under(b, a);
    }

    /** Whether {@code name} is {@code prefix} or lies under it. */
    private static boolean under(String prefix, String name) {
        int n = prefix.length();
        // the cheap test first: neighbours rarely clash, and this runs once per pair per event
        return (name.length() == n || (name.length() > n && name.charAt(n) == '.')) && name.startsWith(prefix);
    }

    /** One thread's generator, its output buffer and the entries of the document being written. */
    private static final class Scratch {
        private final Chars out = new Chars();
        private final JsonGenerator gen;

        private final String[] names = new String[MAX_ENTRIES];
        private final SerializedString[][] paths = new SerializedString[MAX_ENTRIES][];
        private final int[] types = new int[MAX_ENTRIES];
        private final Object[] values = new Object[MAX_ENTRIES];
        private final int[] ranks = new int[MAX_ENTRIES];
        private int size;

        private Instant lastTime;
        private String lastTimeText;

        /** The objects open while emitting, outermost first. */
        private SerializedString[] open = new SerializedString[8];

        Scratch() {
            try {
                gen = EcsJson.MAPPER.getFactory().createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // one document per emit, taken from the buffer whole: nothing between documents
            gen.setRootValueSeparator(null);
        }

        void collect(SecurityEvent e) {
            size = 0;
            add(EcsJson.TIMESTAMP, TIMESTAMP_PATH, STRING, timestampText(e.timestamp()), TIMESTAMP_RANK);
            Iterator<Map.Entry<String, String>> extras = e.fields().entrySet().iterator();
            Map.Entry<String, String> x = extras.hasNext() ? extras.next() : null;
            int xRank = EXTRA_RANK;
            for (Modelled m : MODELLED) {
                Object v = m.get().apply(e);
                if (v == null || (m.type() == LIST && ((List<?>) v).isEmpty())) {
                    continue;
                }
                while (x != null && x.getKey().compareTo(m.name()) < 0) {
                    add(x.getKey(), pathOf(x.getKey()), STRING, x.getValue(), xRank++);
                    x = extras.hasNext() ? extras.next() : null;
                }
                add(m.name(), m.path(), m.type(), v, m.rank());
            }
            while (x != null) {
                add(x.getKey(), pathOf(x.getKey()), STRING, x.getValue(), xRank++);
                x = extras.hasNext() ? extras.next() : null;
            }
            addOrigin(e.origin());
        }

        /**
         * The ISO-8601 form of {@code t}, formatted once per distinct time: consecutive events
         * of a log often share one (syslog has whole seconds), and formatting is not cheap.
         */
        private String timestampText(Instant t) {
            if (!t.equals(lastTime)) {
                lastTime = t;
                lastTimeText = t.toString();
            }
            return lastTimeText;
        }

        void collect(DeadLetter letter) {
            size = 0;
            insert(RAW_VALUE, RAW_VALUE_PATH, STRING, letter.raw(), 0);
            insert(RAW_ENCODING, RAW_ENCODING_PATH, STRING, letter.rawEncoding(), 1);
            insert(RAW_BYTES, RAW_BYTES_PATH, LONG, letter.rawBytes(), 2);
            insert(DECODER, DECODER_PATH, STRING, letter.decoder(), 3);
            insert(REASON, REASON_PATH, STRING, letter.reason(), 4);
            insert(DEAD_LETTER_KIND, DEAD_LETTER_KIND_PATH, STRING, letter.kind(), 5);
            if (letter.ruleId() != null) {
                insert(RULE_ID, RULE_ID_PATH, STRING, letter.ruleId(), 6);
            }
            addOrigin(letter.origin());
        }

        private void addOrigin(Origin origin) {
            insert(EcsJson.ORIGIN, ORIGIN_PATH, ORIGIN, origin, ORIGIN_RANK);
            if (Origin.FILE.equals(origin.kind())) {
                insert(EcsJson.LOG_FILE_PATH, FILE_PATH_PATH, STRING, origin.source(), FILE_PATH_RANK);
            }
        }

        /** Appends an entry known to sort after every entry so far. */
        private void add(String name, SerializedString[] path, int type, Object value, int rank) {
            names[size] = name;
            paths[size] = path;
            types[size] = type;
            values[size] = value;
            ranks[size] = rank;
            size++;
        }

        /** Adds an entry at its place in name order (a few entries at most ever move). */
        private void insert(String name, SerializedString[] path, int type, Object value, int rank) {
            int i = size;
            while (i > 0 && names[i - 1].compareTo(name) > 0) {
                i--;
            }
            int moved = size - i;
            System.arraycopy(names, i, names, i + 1, moved);
            System.arraycopy(paths, i, paths, i + 1, moved);
            System.arraycopy(types, i, types, i + 1, moved);
            System.arraycopy(values, i, values, i + 1, moved);
            System.arraycopy(ranks, i, ranks, i + 1, moved);
            names[i] = name;
            paths[i] = path;
            types[i] = type;
            values[i] = value;
            ranks[i] = rank;
            size++;
        }

        /**
         * Drops every entry a later-written entry replaces. In name order an entry and everything
         * under it are adjacent, so a clash anywhere shows as a clash of neighbours.
         */
        private void resolveClashes() {
            boolean any = false;
            for (int i = 0; i + 1 < size && !any; i++) {
                any = under(names[i], names[i + 1]);
            }
            if (!any) {
                return;
            }
            boolean[] replaced = new boolean[size];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size && !replaced[i]; j++) {
                    replaced[i] = ranks[j] > ranks[i] && clash(names[i], names[j]);
                }
            }
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (!replaced[i]) {
                    names[kept] = names[i];
                    paths[kept] = paths[i];
                    types[kept] = types[i];
                    values[kept] = values[i];
                    ranks[kept] = ranks[i];
                    kept++;
                }
            }
            Arrays.fill(values, kept, size, null);
            size = kept;
        }

        String emit() throws IOException {
            resolveClashes();
            gen.writeStartObject();
            int depth = 0;
            for (int i = 0; i < size; i++) {
                SerializedString[] path = paths[i];
                int leaf = path.length - 1;
                int common = 0;
                while (common < depth && common < leaf && sameKey(open[common], path[common])) {
                    common++;
                }
                for (; depth > common; depth--) {
                    gen.writeEndObject();
                }
                if (leaf > open.length) {
                    open = Arrays.copyOf(open, leaf * 2);
                }
                for (; depth < leaf; depth++) {
                    gen.writeFieldName(path[depth]);
                    gen.writeStartObject();
                    open[depth] = path[depth];
                }
                gen.writeFieldName(path[leaf]);
                writeValue(types[i], values[i]);
                values[i] = null; // hold no event past its write
            }
            for (; depth > 0; depth--) {
                gen.writeEndObject();
            }
            gen.writeEndObject();
            gen.flush();
            return out.take();
        }

        private static boolean sameKey(SerializedString a, SerializedString b) {
            return a == b || a.getValue().equals(b.getValue());
        }

        @SuppressWarnings("unchecked")
        private void writeValue(int type, Object value) throws IOException {
            switch (type) {
                case STRING -> gen.writeString((String) value);
                case INT -> gen.writeNumber((int) (Integer) value);
                case LONG -> gen.writeNumber((long) (Long) value);
                case LIST -> {
                    List<String> list = (List<String>) value;
                    gen.writeStartArray(list, list.size());
                    for (String s : list) {
                        gen.writeString(s);
                    }
                    gen.writeEndArray();
                }
                case ORIGIN -> {
                    Origin o = (Origin) value;
                    gen.writeStartObject();
                    gen.writeFieldName(KIND);
                    gen.writeString(o.kind());
                    gen.writeFieldName(SOURCE);
                    gen.writeString(o.source());
                    if (o.partition() != null) {
                        gen.writeFieldName(PARTITION);
                        gen.writeNumber((int) o.partition());
                    }
                    gen.writeFieldName(OFFSET);
                    gen.writeNumber(o.offset());
                    gen.writeEndObject();
                }
                default -> throw new IllegalStateException("no such entry type: " + type);
            }
        }
    }

    /**
     * An unsynchronized growable character sink the generator flushes into; the text is taken
     * once per document. A buffer grown by one huge document is let go rather than kept per thread.
     */
    private static final class Chars extends Writer {
        private static final int INITIAL = 4096;
        private static final int KEEP_AT_MOST = 256 * 1024;

        private char[] buf = new char[INITIAL];
        private int len;

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        @Override
        public void write(char[] c, int off, int n) {
            ensure(n);
            System.arraycopy(c, off, buf, len, n);
            len += n;
        }

        @Override
        public void write(String s, int off, int n) {
            ensure(n);
            s.getChars(off, off + n, buf, len);
            len += n;
        }

        @Override
        public void write(int c) {
            ensure(1);
            buf[len++] = (char) c;
        }

        String take() {
            String s = new String(buf, 0, len);
            len = 0;
            if (buf.length > KEEP_AT_MOST) {
                buf = new char[INITIAL];
            }
            return s;
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
