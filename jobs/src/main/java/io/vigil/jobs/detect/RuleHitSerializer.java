package io.vigil.jobs.detect;

import io.vigil.model.Origin;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.Signal;
import io.vigil.rules.correlate.SharedStrings;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The hits between rule evaluation and correlation, as compact as their content allows. Flink's
 * record serializer wrote every entity field name, the origin kind and the step as strings, and
 * read them back as fresh strings, on every hit; here the names the adapter knows (the entity
 * fields, origin kinds, sequence steps) are one byte each and are read back as the shared
 * constants. Anything else is written out in full, so every hit makes the round trip. Strings and
 * counts are written with {@link Wire}.
 *
 * <p>Used on the network edge only ({@link Detection}); correlation state keeps its own
 * serializers, so savepoints do not depend on this format.
 */
public final class RuleHitSerializer extends TypeSerializerSingleton<RuleHit> {

    private static final long serialVersionUID = 1L;

    public static final RuleHitSerializer INSTANCE = new RuleHitSerializer();

    private static final List<String> KINDS = List.of(Origin.FILE, Origin.KAFKA, Origin.WEBHOOK);
    private static final List<String> STEPS = List.of(Signal.FIRST, Signal.THEN);
    private static final List<String> FIELDS = RuleEvaluator.ENTITY_FIELDS;
    /** Tag of a value written out in full; {@code NULL}: absent. Known values are their index. */
    private static final int OTHER = 0xFE;
    private static final int NULL = 0xFF;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public RuleHit createInstance() {
        return null;
    }

    @Override
    public RuleHit copy(RuleHit from) {
        return from;
    }

    @Override
    public RuleHit copy(RuleHit from, RuleHit reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RuleHit hit, DataOutputView out) throws IOException {
        Wire.writeString(out, hit.ruleId());
        Wire.writeString(out, hit.groupKey());
        out.writeLong(hit.timestamp().getEpochSecond());
        out.writeInt(hit.timestamp().getNano());
        Origin o = hit.origin();
        if (o == null) {
            out.writeByte(NULL);
        } else {
            writeKnown(o.kind(), KINDS, out);
            Wire.writeString(out, o.source());
            out.writeBoolean(o.partition() != null);
            if (o.partition() != null) {
                out.writeInt(o.partition());
            }
            out.writeLong(o.offset());
        }
        out.writeLong(hit.sequence());
        writeKnown(hit.step(), STEPS, out);
        Wire.writeString(out, hit.value());
        Wire.writeVarLong(out, hit.entities().size());
        for (Map.Entry<String, String> e : hit.entities().entrySet()) {
            writeKnown(e.getKey(), FIELDS, out);
            Wire.writeString(out, e.getValue());
        }
    }

    @Override
    public RuleHit deserialize(DataInputView in) throws IOException {
        String ruleId = Wire.readString(in);
        String groupKey = Wire.readString(in);
        Instant timestamp = Instant.ofEpochSecond(in.readLong(), in.readInt());
        Origin origin = null;
        int kind = in.readUnsignedByte();
        if (kind != NULL) {
            String kindName = readKnown(kind, KINDS, in);
            // shared here, so correlation keeps this Origin as it is rather than rebuilding it
            String source = SharedStrings.source(Wire.readString(in));
            Integer partition = in.readBoolean() ? in.readInt() : null;
            origin = new Origin(kindName, source, partition, in.readLong());
        }
        long sequence = in.readLong();
        String step = readKnown(in.readUnsignedByte(), STEPS, in);
        String value = Wire.readString(in);
        int n = (int) Wire.readVarLong(in);
        Map<String, String> entities = new TreeMap<>(); // sorted: RuleHit's copy of it is linear
        for (int i = 0; i < n; i++) {
            String name = readKnown(in.readUnsignedByte(), FIELDS, in);
            entities.put(name, Wire.readString(in));
        }
        return new RuleHit(ruleId, groupKey, timestamp, origin, sequence, step, value, entities);
    }

    private static void writeKnown(String s, List<String> known, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(NULL);
            return;
        }
        int i = known.indexOf(s);
        if (i >= 0) {
            out.writeByte(i);
        } else {
            out.writeByte(OTHER);
            Wire.writeString(out, s);
        }
    }

    private static String readKnown(int tag, List<String> known, DataInputView in) throws IOException {
        return switch (tag) {
            case NULL -> null;
            case OTHER -> Wire.readString(in);
            default -> {
                if (tag >= known.size()) {
                    throw new IOException("a rule hit names value " + tag + " of " + known.size()
                            + ": the data is not what this serializer wrote");
                }
                yield known.get(tag);
            }
        };
    }

    @Override
    public RuleHit deserialize(RuleHit reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<RuleHit> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1, as written above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RuleHit> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
