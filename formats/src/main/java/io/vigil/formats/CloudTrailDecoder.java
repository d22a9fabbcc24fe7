package io.vigil.formats;

import io.vigil.model.RawRecord;

/** Skeleton: being written. */
public final class CloudTrailDecoder implements Decoder {

    public CloudTrailDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.CLOUDTRAIL;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        return DecodeResult.failure("the CLOUDTRAIL decoder is not written yet");
    }
}
