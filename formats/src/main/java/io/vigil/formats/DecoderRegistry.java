package io.vigil.formats;

import io.vigil.model.RawRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One decoder per format, built from the same {@link DecoderOptions}, and the single entry point
 * that turns a {@link RawRecord} into a {@link DecodeResult}: records over the size limit and
 * decoder failures of any kind come back as failures, never as exceptions.
 */
public final class DecoderRegistry {

    private final Map<String, Decoder> decoders = new LinkedHashMap<>();
    private final DecoderOptions options;

    public DecoderRegistry(DecoderOptions options) {
        this.options = options;
        register(new SyslogDecoder(options));
        register(new AccessLogDecoder(options));
        register(new WindowsEventDecoder(options));
        register(new CloudTrailDecoder(options));
        register(new ZeekDecoder(options));
        register(new EcsJsonDecoder(options));
        register(new EvtxDecoder(options));
    }

    private void register(Decoder decoder) {
        decoders.put(decoder.format(), decoder);
    }

    public DecoderOptions options() {
        return options;
    }

    /** The decoder of {@code format}, or {@code null} when there is none. */
    public Decoder get(String format) {
        return decoders.get(format);
    }

    /** Decodes {@code record} with the decoder its format names; never throws. */
    public DecodeResult decode(RawRecord record) {
        if (record.truncated()) {
            return DecodeResult.failure("record of " + record.truncatedFrom() + " bytes exceeds the limit of "
                    + options.maxRecordBytes() + " bytes");
        }
        Decoder decoder = decoders.get(record.format());
        if (decoder == null) {
            return DecodeResult.failure("unknown format '" + record.format() + "'");
        }
        try {
            DecodeResult result = decoder.decode(record);
            if (result == null) {
                return DecodeResult.failure(decoder.format() + " decoder returned no result");
            }
            return result;
        } catch (RuntimeException | StackOverflowError e) {
            // A decoder bug must not stop the run: the record is kept as a dead letter with the cause.
            return DecodeResult.failure(decoder.format() + " decoder failed: " + e);
        }
    }
}
