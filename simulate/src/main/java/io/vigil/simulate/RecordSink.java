package io.vigil.simulate;

import java.io.IOException;

/** Where simulated records go: one stream (file or topic) per format. */
public interface RecordSink extends AutoCloseable {

    void write(GeneratedRecord record) throws IOException;

    /** Flushes and releases; fails if any record could not be delivered. */
    @Override
    void close() throws IOException;

    /** Where the records went, for the summary line. */
    String describe();
}
