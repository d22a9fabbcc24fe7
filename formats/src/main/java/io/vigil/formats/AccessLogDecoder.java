package io.vigil.formats;

import io.vigil.model.RawRecord;

/** Skeleton: being written. */
public final class AccessLogDecoder implements Decoder {

    public AccessLogDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.ACCESS;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        return DecodeResult.failure("the ACCESS decoder is not written yet");
    }
}
