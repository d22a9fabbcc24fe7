package io.vigil.jobs.detect;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.rules.correlate.CorrelationState;
import io.vigil.rules.correlate.SharedStrings;
import io.vigil.rules.correlate.WindowEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The compact, versioned wire form of {@link CorrelationState}, the state every tracked entity
 * holds once per rule. Flink's POJO serializer spent most of its bytes on what repeats: each
 * window entry's full {@link Origin} (kind and topic strings), the entity field names, and a
 * null flag and fixed width for every field. This form writes:
 * <ul>
 * <li>a header of flags and the counters as variable-length integers;</li>
 * <li>the window's distinct origin sources once, then per entry an index into them, the
 * partition, the offset, the time as a difference from the previous entry's, and the value;</li>
 * <li>the entity map as a bit set over {@link #ENTITY_NAMES} followed by the values, then any
 * other names with their values;</li>
 * <li>the open alert, when there is one, with Flink's own serializer for {@link Alert};</li>
 * <li>the window decided when it closes, when one is open: its start, its last hit's time as a
 * difference from the start, its count, sum and group key;</li>
 * <li>the sequence slots of the window's entries, when one is not 0 ({@code TEMPORAL_ORDERED});</li>
 * <li>the version of the rule that built the state, when recorded (live rule packs).</li>
 * </ul>
 * The header's flags say which optional parts follow, and new parts come after the older ones, so
 * a state written before a part existed reads as it was (the part absent): version 1 of this form
 * had the open alert only, and its bytes are still read.
 * Reading gives back the same state, with the {@link SharedStrings} instances of the strings that
 * repeat (origin kinds and sources, entity names), so the heap holds them once.
 *
 * <p>Checkpoints written with the POJO serializer (before this form) are migrated on restore:
 * {@link Snapshot#resolveSchemaCompatibility} declares them compatible after migration, and Flink
 * reads them with the old serializer and writes them with this one.
 */
public final class CorrelationStateSerializer extends TypeSerializer<CorrelationState> {

    private static final long serialVersionUID = 1L;

    /**
     * Entity field names written as bits, by position. Append only: a position, once written to a
     * checkpoint, keeps its name forever.
     */
    static final List<String> ENTITY_NAMES = List.of(
            "source.ip", "source.domain", "destination.ip", "user.name", "user.domain", "user.target.name",
            "host.name", "cloud.account.id");

    private static final int OPEN = 1;
    /** A closing window is open ({@code count > 0}). */
    private static final int CLOSING = 2;
    /** Some window entry has a sequence slot. */
    private static final int SLOTS = 4;
    /** The rule version is recorded ({@code ruleVersion != 0}). */
    private static final int RULE_VERSION = 8;

    private final TypeSerializer<Alert> alertSerializer;

    public CorrelationStateSerializer() {
        this(TypeInformation.of(Alert.class).createSerializer(new SerializerConfigImpl()));
    }

    CorrelationStateSerializer(TypeSerializer<Alert> alertSerializer) {
        this.alertSerializer = alertSerializer;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<CorrelationState> duplicate() {
        TypeSerializer<Alert> alerts = alertSerializer.duplicate();
        return alerts == alertSerializer ? this : new CorrelationStateSerializer(alerts);
    }

    @Override
    public CorrelationState createInstance() {
        return new CorrelationState();
    }

    @Override
    public CorrelationState copy(CorrelationState from) {
        CorrelationState to = new CorrelationState();
        to.window = new ArrayList<>(from.window.size());
        for (WindowEntry e : from.window) {
            // origins are immutable records and may be shared
            to.window.add(new WindowEntry(e.time, e.origin, e.value, e.slot));
        }
        to.entities = new TreeMap<>(from.entities);
        to.open = from.open == null ? null : alertSerializer.copy(from.open);
        to.suppressUntil = from.suppressUntil;
        to.suppressed = from.suppressed;
        to.lastSuppressed = from.lastSuppressed;
        to.pending = from.pending;
        to.count = from.count;
        to.windowStart = from.windowStart;
        to.lastTime = from.lastTime;
        to.sum = from.sum;
        to.groupKey = from.groupKey;
        to.ruleVersion = from.ruleVersion;
        return to;
    }

    @Override
    public CorrelationState copy(CorrelationState from, CorrelationState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CorrelationState st, DataOutputView out) throws IOException {
        boolean slots = st.window.stream().anyMatch(e -> e.slot != 0);
        Wire.writeVarLong(out, (st.open == null ? 0 : OPEN) | (st.count > 0 ? CLOSING : 0) | (slots ? SLOTS : 0)
                | (st.ruleVersion != 0 ? RULE_VERSION : 0));
        Wire.writeVarLong(out, st.pending);
        writeWindow(st.window, out);
        writeEntities(st.entities, out);
        if (st.open != null) {
            alertSerializer.serialize(st.open, out);
            Wire.writeVarLong(out, st.suppressUntil);
            Wire.writeVarLong(out, st.suppressed);
            Wire.writeVarLong(out, st.lastSuppressed);
        }
        if (st.count > 0) {
            Wire.writeVarLong(out, Wire.zigZag(st.windowStart));
            Wire.writeVarLong(out, Wire.zigZag(st.lastTime - st.windowStart));
            Wire.writeVarLong(out, st.count);
            out.writeDouble(st.sum);
            Wire.writeString(out, st.groupKey);
        }
        if (slots) {
            for (WindowEntry e : st.window) {
                Wire.writeVarLong(out, e.slot);
            }
        }
        if (st.ruleVersion != 0) {
            Wire.writeVarLong(out, Wire.zigZag(st.ruleVersion));
        }
    }

    @Override
    public CorrelationState deserialize(DataInputView in) throws IOException {
        CorrelationState st = new CorrelationState();
        long flags = Wire.readVarLong(in);
        if ((flags & ~(OPEN | CLOSING | SLOTS | RULE_VERSION)) != 0) {
            throw new IOException("correlation state: flags " + flags + " name parts unknown to this version");
        }
        st.pending = (int) Wire.readVarLong(in);
        st.window = readWindow(in);
        st.entities = readEntities(in);
        if ((flags & OPEN) != 0) {
            st.open = alertSerializer.deserialize(in);
            st.suppressUntil = Wire.readVarLong(in);
            st.suppressed = Wire.readVarLong(in);
            st.lastSuppressed = Wire.readVarLong(in);
        }
        if ((flags & CLOSING) != 0) {
            st.windowStart = Wire.unZigZag(Wire.readVarLong(in));
            st.lastTime = st.windowStart + Wire.unZigZag(Wire.readVarLong(in));
            st.count = Wire.readVarLong(in);
            st.sum = in.readDouble();
            st.groupKey = Wire.readString(in);
        }
        if ((flags & SLOTS) != 0) {
            for (WindowEntry e : st.window) {
                e.slot = (int) Wire.readVarLong(in);
            }
        }
        if ((flags & RULE_VERSION) != 0) {
            st.ruleVersion = (int) Wire.unZigZag(Wire.readVarLong(in));
        }
        return st;
    }

    @Override
    public CorrelationState deserialize(CorrelationState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    /** The window: its distinct (kind, source) pairs, then the entries against them. */
    public void writeWindow(List<WindowEntry> window, DataOutputView out) throws IOException {
        List<Origin> table = new ArrayList<>(2);
        int[] index = new int[window.size()];
        for (int i = 0; i < window.size(); i++) {
            Origin o = window.get(i).origin;
            int at = -1;
            for (int j = 0; j < table.size(); j++) {
                Origin t = table.get(j);
                if (t.kind().equals(o.kind()) && t.source().equals(o.source())) {
                    at = j;
                    break;
                }
            }
            if (at < 0) {
                at = table.size();
                table.add(o);
            }
            index[i] = at;
        }
        Wire.writeVarLong(out, table.size());
        for (Origin o : table) {
            Wire.writeString(out, o.kind());
            Wire.writeString(out, o.source());
        }
        Wire.writeVarLong(out, window.size());
        long previous = 0;
        for (int i = 0; i < window.size(); i++) {
            WindowEntry e = window.get(i);
            Wire.writeVarLong(out, index[i]);
            Wire.writeVarLong(out, e.origin.partition() == null ? 0 : e.origin.partition() + 1L);
            Wire.writeVarLong(out, Wire.zigZag(e.origin.offset()));
            // entries are mostly in time order, a few ms apart: differences are short
            Wire.writeVarLong(out, Wire.zigZag(e.time - previous));
            previous = e.time;
            Wire.writeString(out, e.value);
        }
    }

    private List<WindowEntry> readWindow(DataInputView in) throws IOException {
        int sources = (int) Wire.readVarLong(in);
        String[] kinds = new String[sources];
        String[] names = new String[sources];
        for (int j = 0; j < sources; j++) {
            kinds[j] = SharedStrings.kind(Wire.readString(in));
            names[j] = SharedStrings.source(Wire.readString(in));
        }
        int n = (int) Wire.readVarLong(in);
        List<WindowEntry> window = new ArrayList<>(n);
        long time = 0;
        for (int i = 0; i < n; i++) {
            int at = (int) Wire.readVarLong(in);
            if (at < 0 || at >= sources) {
                throw new IOException("correlation state: window entry " + i + " names origin " + at + " of " + sources);
            }
            long partition = Wire.readVarLong(in);
            long offset = Wire.unZigZag(Wire.readVarLong(in));
            time += Wire.unZigZag(Wire.readVarLong(in));
            String value = Wire.readString(in);
            window.add(new WindowEntry(time, new Origin(kinds[at], names[at],
                    partition == 0 ? null : (int) (partition - 1), offset), value));
        }
        return window;
    }

    /** The entity map: a bit per known name present, their values, then the other names and values. */
    public void writeEntities(Map<String, String> entities, DataOutputView out) throws IOException {
        long bits = 0;
        int others = 0;
        for (String name : entities.keySet()) {
            int at = ENTITY_NAMES.indexOf(name);
            if (at >= 0) {
                bits |= 1L << at;
            } else {
                others++;
            }
        }
        Wire.writeVarLong(out, bits);
        for (int at = 0; at < ENTITY_NAMES.size(); at++) {
            if ((bits & (1L << at)) != 0) {
                Wire.writeString(out, entities.get(ENTITY_NAMES.get(at)));
            }
        }
        Wire.writeVarLong(out, others);
        for (Map.Entry<String, String> e : entities.entrySet()) {
            if (!ENTITY_NAMES.contains(e.getKey())) {
                Wire.writeString(out, e.getKey());
                Wire.writeString(out, e.getValue());
            }
        }
    }

    private static Map<String, String> readEntities(DataInputView in) throws IOException {
        long bits = Wire.readVarLong(in);
        Map<String, String> entities = new TreeMap<>();
        for (int at = 0; at < 64; at++) {
            if ((bits & (1L << at)) != 0) {
                if (at >= ENTITY_NAMES.size()) {
                    throw new IOException("correlation state: entity name " + at + " is unknown to this version");
                }
                entities.put(ENTITY_NAMES.get(at), Wire.readString(in));
            }
        }
        long others = Wire.readVarLong(in);
        for (long i = 0; i < others; i++) {
            entities.put(Wire.readString(in), Wire.readString(in));
        }
        return entities;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorrelationStateSerializer other && other.alertSerializer.equals(alertSerializer);
    }

    @Override
    public int hashCode() {
        return alertSerializer.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<CorrelationState> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /**
     * The serializer's snapshot: the format version and the nested alert serializer. Declares
     * the POJO form checkpoints had before as compatible after migration.
     */
    public static final class Snapshot extends CompositeTypeSerializerSnapshot<CorrelationState, CorrelationStateSerializer> {

        /**
         * Version 1: the compact form. Parts added to it since (closing windows, sequence slots)
         * are flagged in each value's header and read only when present, so values written before
         * them read unchanged: no new version, and no migration.
         */
        private static final int VERSION = 1;

        public Snapshot() {}

        Snapshot(CorrelationStateSerializer serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(CorrelationStateSerializer outer) {
            return new TypeSerializer<?>[] {outer.alertSerializer};
        }

        @Override
        @SuppressWarnings("unchecked")
        protected CorrelationStateSerializer createOuterSerializerWithNestedSerializers(TypeSerializer<?>[] nested) {
            return new CorrelationStateSerializer((TypeSerializer<Alert>) nested[0]);
        }

        @Override
        public TypeSerializerSchemaCompatibility<CorrelationState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<CorrelationState> old) {
            if (old instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }
}
