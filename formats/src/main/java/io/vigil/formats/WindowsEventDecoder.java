package io.vigil.formats;

import io.vigil.model.RawRecord;

/** Skeleton: being written. */
public final class WindowsEventDecoder implements Decoder {

    public WindowsEventDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.WINDOWS;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        return DecodeResult.failure("the WINDOWS decoder is not written yet");
    }
}
