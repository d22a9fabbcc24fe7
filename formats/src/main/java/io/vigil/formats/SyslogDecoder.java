package io.vigil.formats;

import io.vigil.model.RawRecord;

/** Skeleton: being written. */
public final class SyslogDecoder implements Decoder {

    public SyslogDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.SYSLOG;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        return DecodeResult.failure("the SYSLOG decoder is not written yet");
    }
}
