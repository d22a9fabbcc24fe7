package io.vigil.formats;

import io.vigil.model.RawRecord;

/** Skeleton: being written. */
public final class EcsJsonDecoder implements Decoder {

    public EcsJsonDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.ECS;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        return DecodeResult.failure("the ECS decoder is not written yet");
    }
}
