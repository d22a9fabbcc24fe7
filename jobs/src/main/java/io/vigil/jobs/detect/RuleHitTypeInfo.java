package io.vigil.jobs.detect;

import io.vigil.rules.RuleHit;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of the hit stream, so that its edge uses {@link RuleHitSerializer}. */
public final class RuleHitTypeInfo extends TypeInformation<RuleHit> {

    private static final long serialVersionUID = 1L;

    public static final RuleHitTypeInfo INSTANCE = new RuleHitTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<RuleHit> getTypeClass() {
        return RuleHit.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<RuleHit> createSerializer(SerializerConfig config) {
        return RuleHitSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "RuleHit";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleHitTypeInfo;
    }

    @Override
    public int hashCode() {
        return RuleHitTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RuleHitTypeInfo;
    }
}
