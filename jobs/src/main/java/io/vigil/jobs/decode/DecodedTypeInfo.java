package io.vigil.jobs.decode;

import io.vigil.jobs.io.SerializerTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The type of a {@link DecodingSource}'s records: Flink's serializer of the record class, except
 * that a copy is the record itself. The source and the operator that splits its records are
 * chained, and without object reuse a chained edge copies every record: a {@link Decoded} is
 * immutable, so that deep copy of each record's events bought nothing. Never held in state.
 */
public final class DecodedTypeInfo extends SerializerTypeInfo<Decoded> {

    private static final long serialVersionUID = 1L;

    public static final DecodedTypeInfo INSTANCE = new DecodedTypeInfo();

    private static final TypeInformation<Decoded> FIELDS = TypeInformation.of(Decoded.class);

    private DecodedTypeInfo() {
        super(Decoded.class, "Decoded");
    }

    @Override
    public TypeSerializer<Decoded> createSerializer(SerializerConfig config) {
        return new Serializer(FIELDS.createSerializer(config));
    }

    /** The record class's serializer, copies by reference. */
    static final class Serializer extends TypeSerializer<Decoded> {

        private static final long serialVersionUID = 1L;

        private final TypeSerializer<Decoded> fields;

        Serializer(TypeSerializer<Decoded> fields) {
            this.fields = fields;
        }

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public TypeSerializer<Decoded> duplicate() {
            TypeSerializer<Decoded> d = fields.duplicate();
            return d == fields ? this : new Serializer(d);
        }

        @Override
        public Decoded createInstance() {
            return fields.createInstance();
        }

        @Override
        public Decoded copy(Decoded from) {
            return from;
        }

        @Override
        public Decoded copy(Decoded from, Decoded reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(Decoded record, DataOutputView target) throws IOException {
            fields.serialize(record, target);
        }

        @Override
        public Decoded deserialize(DataInputView source) throws IOException {
            return fields.deserialize(source);
        }

        @Override
        public Decoded deserialize(Decoded reuse, DataInputView source) throws IOException {
            return fields.deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            fields.copy(source, target);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Serializer s && s.fields.equals(fields);
        }

        @Override
        public int hashCode() {
            return fields.hashCode();
        }

        @Override
        public TypeSerializerSnapshot<Decoded> snapshotConfiguration() {
            return fields.snapshotConfiguration();
        }
    }
}
