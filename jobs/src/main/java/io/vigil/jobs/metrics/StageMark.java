package io.vigil.jobs.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vigil.model.EcsJson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When one thing passed one stage of the job (docs/metrics.md#latency-by-stage): an event that hit
 * a rule was evaluated ({@code id} is its origin, {@code topic/partition@offset}), or an alert left
 * correlation or reached the alert outputs ({@code id} is the alert's id). A Flink POJO.
 */
public final class StageMark {

    /** The stage of an event that hit a rule: its evaluation ended. */
    public static final String EVALUATED = "evaluated";
    /** The stage of an alert: it left correlation (and mass activity). */
    public static final String CORRELATED = "correlated";
    /** The stage of an alert: it reached the alert outputs (the Elasticsearch bulk writer). */
    public static final String WRITTEN = "written";

    /** The event's origin or the alert's id. */
    public String id;
    /** {@link #EVALUATED}, {@link #CORRELATED} or {@link #WRITTEN}. */
    public String stage;
    /** Processing time, epoch milliseconds. */
    public long at;

    public StageMark() {}

    public StageMark(String id, String stage, long at) {
        this.id = id;
        this.stage = stage;
        this.at = at;
    }

    /** The record key of the trace topic. */
    public String id() {
        return id;
    }

    /** The JSON value of the trace topic: {@code {"id":…,"stage":…,"at":…}}. */
    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("stage", stage);
        m.put("at", at);
        try {
            return EcsJson.MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return stage + " " + id + " at " + at;
    }
}
