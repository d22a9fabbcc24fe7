package io.vigil.jobs.detect;

import io.vigil.jobs.io.SerializerTypeInfo;
import io.vigil.rules.RuleHit;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of the hit stream, so that its edge uses {@link RuleHitSerializer}. */
public final class RuleHitTypeInfo extends SerializerTypeInfo<RuleHit> {

    private static final long serialVersionUID = 1L;

    public static final RuleHitTypeInfo INSTANCE = new RuleHitTypeInfo();

    private RuleHitTypeInfo() {
        super(RuleHit.class, "RuleHit");
    }

    @Override
    public TypeSerializer<RuleHit> createSerializer(SerializerConfig config) {
        return RuleHitSerializer.INSTANCE;
    }
}
