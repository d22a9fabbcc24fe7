package io.vigil.jobs.context;

import io.vigil.context.ContextUpdate;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a job's live context tables come from: the context control topic in the streaming job, a
 * fixed list in tests.
 */
@FunctionalInterface
public interface ContextFeed {

    /** The updates, as a stream on {@code env}. */
    DataStream<ContextUpdate> open(StreamExecutionEnvironment env);
}
