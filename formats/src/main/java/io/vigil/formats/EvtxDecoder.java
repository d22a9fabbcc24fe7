package io.vigil.formats;

import io.vigil.model.RawRecord;

/**
 * Decodes the records {@link io.vigil.formats.input.EvtxFramer} reads from a Windows event log file:
 * a good record arrives rendered as evtx_dump's JSON and is decoded exactly as that JSON shipped any
 * other way ({@link WindowsEventDecoder}); a damaged chunk or record arrives with the framer's reason
 * in {@link RawRecord#header()} and becomes a dead letter with it, its bytes kept as evidence.
 *
 * <p>Not thread-safe: one instance per task.
 */
public final class EvtxDecoder implements Decoder {

    private final WindowsEventDecoder windows;

    public EvtxDecoder(DecoderOptions options) {
        this.windows = new WindowsEventDecoder(options);
    }

    @Override
    public String format() {
        return Formats.EVTX;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        if (record.header() != null) {
            return DecodeResult.failure(record.header());
        }
        return windows.decode(record);
    }
}
