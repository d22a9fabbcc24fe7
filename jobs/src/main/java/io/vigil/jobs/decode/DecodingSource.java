package io.vigil.jobs.decode;

import io.vigil.formats.DecoderOptions;
import io.vigil.model.RawRecord;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.watermark.WatermarkDeclaration;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source of raw records that decodes each record where the source emits it, into a
 * {@link Decoded} ({@link RecordDecoder}). Decoding there lets the source's watermark strategy see
 * the event time of every record in its split (its Kafka partition, its file): Flink then keeps a
 * watermark per split, with idleness per split, and the reader's watermark is the minimum over its
 * active splits, whatever the interleaving of the partitions a subtask reads.
 *
 * <p>Everything but the records is the wrapped source's: splits, enumerator, checkpoints (the Kafka
 * offsets keep their serializers and the source its uid). The ingest-time bounds use the task's
 * clock when the record is read.
 */
public final class DecodingSource<SplitT extends SourceSplit, EnumChkT>
        implements Source<Decoded, SplitT, EnumChkT>, ResultTypeQueryable<Decoded> {

    private static final long serialVersionUID = 1L;

    private final Source<RawRecord, SplitT, EnumChkT> raw;
    private final DecoderOptions options;
    private final EventTimeBounds bounds;

    private DecodingSource(Source<RawRecord, SplitT, EnumChkT> raw, DecoderOptions options, EventTimeBounds bounds) {
        this.raw = Objects.requireNonNull(raw, "raw");
        this.options = Objects.requireNonNull(options, "options");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    /** {@code raw}, decoded with {@code options}, records out of {@code bounds} as dead letters. */
    public static <S extends SourceSplit, E> DecodingSource<S, E> of(Source<RawRecord, S, E> raw,
                                                                    DecoderOptions options, EventTimeBounds bounds) {
        return new DecodingSource<>(raw, options, bounds);
    }

    @Override
    public Boundedness getBoundedness() {
        return raw.getBoundedness();
    }

    @Override
    public SplitEnumerator<SplitT, EnumChkT> createEnumerator(SplitEnumeratorContext<SplitT> context) throws Exception {
        return raw.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SplitT, EnumChkT> restoreEnumerator(SplitEnumeratorContext<SplitT> context,
                                                               EnumChkT checkpoint) throws Exception {
        return raw.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
        return raw.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<EnumChkT> getEnumeratorCheckpointSerializer() {
        return raw.getEnumeratorCheckpointSerializer();
    }

    @Override
    public Set<? extends WatermarkDeclaration> declareWatermarks() {
        return raw.declareWatermarks();
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return DecodedTypeInfo.INSTANCE;
    }

    @Override
    public SourceReader<Decoded, SplitT> createReader(SourceReaderContext context) throws Exception {
        return new Reader<>(raw.createReader(context), new RecordDecoder(options, bounds));
    }

    /** The wrapped reader, its outputs decoding. */
    private static final class Reader<SplitT extends SourceSplit> implements SourceReader<Decoded, SplitT> {

        private final SourceReader<RawRecord, SplitT> raw;
        private final RecordDecoder decoder;
        private ReaderOutput<Decoded> lastOutput;
        private DecodingReaderOutput decoding;

        Reader(SourceReader<RawRecord, SplitT> raw, RecordDecoder decoder) {
            this.raw = raw;
            this.decoder = decoder;
        }

        @Override
        public void start() {
            raw.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<Decoded> output) throws Exception {
            if (output != lastOutput) {
                lastOutput = output;
                decoding = new DecodingReaderOutput(output, decoder);
            }
            return raw.pollNext(decoding);
        }

        @Override
        public List<SplitT> snapshotState(long checkpointId) {
            return raw.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return raw.isAvailable();
        }

        @Override
        public void addSplits(List<SplitT> splits) {
            raw.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            raw.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            raw.handleSourceEvents(event);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            raw.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            raw.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void pauseOrResumeSplits(Collection<String> toPause, Collection<String> toResume) {
            raw.pauseOrResumeSplits(toPause, toResume);
        }

        @Override
        public void close() throws Exception {
            raw.close();
        }
    }

    /** A source output that decodes what it is given into {@code out}. */
    private static class DecodingOutput implements SourceOutput<RawRecord> {

        private final SourceOutput<Decoded> out;
        private final RecordDecoder decoder;

        DecodingOutput(SourceOutput<Decoded> out, RecordDecoder decoder) {
            this.out = out;
            this.decoder = decoder;
        }

        @Override
        public void collect(RawRecord record) {
            out.collect(decoder.decode(record, System.currentTimeMillis()));
        }

        @Override
        public void collect(RawRecord record, long timestamp) {
            out.collect(decoder.decode(record, System.currentTimeMillis()), timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            out.emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            out.markIdle();
        }

        @Override
        public void markActive() {
            out.markActive();
        }
    }

    /** The reader's output: records of no split and, per split, an output of that split. */
    private static final class DecodingReaderOutput extends DecodingOutput implements ReaderOutput<RawRecord> {

        private final ReaderOutput<Decoded> out;
        private final RecordDecoder decoder;

        DecodingReaderOutput(ReaderOutput<Decoded> out, RecordDecoder decoder) {
            super(out, decoder);
            this.out = out;
            this.decoder = decoder;
        }

        @Override
        public SourceOutput<RawRecord> createOutputForSplit(String splitId) {
            return new DecodingOutput(out.createOutputForSplit(splitId), decoder);
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
            out.releaseOutputForSplit(splitId);
        }
    }
}
