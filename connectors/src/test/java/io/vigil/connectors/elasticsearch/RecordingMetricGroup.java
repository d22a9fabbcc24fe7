package io.vigil.connectors.elasticsearch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A sink writer's metric group that keeps the counters and gauges registered on it, for tests to read. */
final class RecordingMetricGroup implements SinkWriterMetricGroup {

    private final SinkWriterMetricGroup standard = UnregisteredMetricsGroup.createSinkWriterMetricGroup();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();
    private final Map<String, RecordingMetricGroup> children = new ConcurrentHashMap<>();

    long count(String name) {
        Counter c = counters.get(name);
        if (c == null) {
            throw new AssertionError("no counter " + name + " (have " + counters.keySet() + ")");
        }
        return c.getCount();
    }

    Object gauge(String name) {
        Gauge<?> g = gauges.get(name);
        if (g == null) {
            throw new AssertionError("no gauge " + name + " (have " + gauges.keySet() + ")");
        }
        return g.getValue();
    }

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        counters.put(name, counter);
        return counter;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        gauges.put(name, gauge);
        return gauge;
    }

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
        return histogram;
    }

    @Override
    public <M extends Meter> M meter(String name, M meter) {
        return meter;
    }

    /** The group {@code name} (or {@code key=value}) added under this one, recording too. */
    RecordingMetricGroup child(String name) {
        RecordingMetricGroup c = children.get(name);
        if (c == null) {
            throw new AssertionError("no group " + name + " (have " + children.keySet() + ")");
        }
        return c;
    }

    @Override
    public MetricGroup addGroup(String name) {
        return children.computeIfAbsent(name, n -> new RecordingMetricGroup());
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        return children.computeIfAbsent(key + "=" + value, n -> new RecordingMetricGroup());
    }

    @Override
    public String[] getScopeComponents() {
        return standard.getScopeComponents();
    }

    @Override
    public Map<String, String> getAllVariables() {
        return standard.getAllVariables();
    }

    @Override
    public String getMetricIdentifier(String metricName) {
        return metricName;
    }

    @Override
    public String getMetricIdentifier(String metricName, org.apache.flink.metrics.CharacterFilter filter) {
        return metricName;
    }

    @Override
    public OperatorIOMetricGroup getIOMetricGroup() {
        return standard.getIOMetricGroup();
    }

    @Override
    public Counter getNumRecordsOutErrorsCounter() {
        return standard.getNumRecordsOutErrorsCounter();
    }

    @Override
    public Counter getNumRecordsSendErrorsCounter() {
        return standard.getNumRecordsSendErrorsCounter();
    }

    @Override
    public Counter getNumRecordsSendCounter() {
        return standard.getNumRecordsSendCounter();
    }

    @Override
    public Counter getNumBytesSendCounter() {
        return standard.getNumBytesSendCounter();
    }

    @Override
    public void setCurrentSendTimeGauge(Gauge<Long> gauge) {
        standard.setCurrentSendTimeGauge(gauge);
    }
}
