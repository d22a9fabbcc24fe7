package io.vigil.formats;

import io.vigil.model.RawRecord;

/** Skeleton: being written. */
public final class ZeekDecoder implements Decoder {

    public ZeekDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.ZEEK;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        return DecodeResult.failure("the ZEEK decoder is not written yet");
    }
}
