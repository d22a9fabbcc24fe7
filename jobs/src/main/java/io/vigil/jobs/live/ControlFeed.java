package io.vigil.jobs.live;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a job's rule control records come from: the control topic in the streaming job
 * ({@link ControlTopicSource}), a fixed list in tests and backtests.
 */
@FunctionalInterface
public interface ControlFeed {

    /** The control records, as a stream on {@code env}. */
    DataStream<ControlInput> open(StreamExecutionEnvironment env);
}
