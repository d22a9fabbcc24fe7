package io.vigil.jobs.io;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The type of a stream whose records Flink must not analyse: one opaque field of class {@code T},
 * serialized by what {@link #createSerializer} gives (a hand-written serializer, or Flink's own with
 * another copy rule). Two instances are equal when they are of the same subclass: each subclass is
 * one stream type.
 */
public abstract class SerializerTypeInfo<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String name;

    protected SerializerTypeInfo(Class<T> type, String name) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public final boolean isBasicType() {
        return false;
    }

    @Override
    public final boolean isTupleType() {
        return false;
    }

    @Override
    public final int getArity() {
        return 1;
    }

    @Override
    public final int getTotalFields() {
        return 1;
    }

    @Override
    public final Class<T> getTypeClass() {
        return type;
    }

    @Override
    public final boolean isKeyType() {
        return false;
    }

    @Override
    public final String toString() {
        return name;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode();
    }

    @Override
    public final boolean canEqual(Object o) {
        return o != null && o.getClass() == getClass();
    }
}
