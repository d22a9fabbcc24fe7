package io.vigil.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter that only keeps the metrics it is given, so a benchmark running a local
 * cluster in its own JVM can read gauges (an operator's input watermark, RocksDB's native
 * properties) directly. Enabled with {@code metrics.reporter.tap.factory.class} set to
 * {@link Factory}; found through {@code META-INF/services}.
 */
public final class MetricsTap implements MetricReporter {

    /** One registered metric: its name, the variables of its group ({@code <operator_name>}, …) and scope. */
    public record Registered(String name, Map<String, String> variables, String identifier, Metric metric) {

        /** The value of a gauge or a counter as a number, or {@code null}. */
        public Double number() {
            if (metric instanceof org.apache.flink.metrics.Counter c) {
                return (double) c.getCount();
            }
            if (metric instanceof Gauge<?> g) {
                Object v = g.getValue();
                if (v instanceof Number n) {
                    return n.doubleValue();
                }
            }
            return null;
        }
    }

    private static final Map<String, Registered> METRICS = new ConcurrentHashMap<>();

    /** The metrics registered so far, of every reporter instance in this JVM. */
    public static List<Registered> all() {
        return List.copyOf(METRICS.values());
    }

    public static void clear() {
        METRICS.clear();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        String id = group.getMetricIdentifier(metricName);
        METRICS.put(id, new Registered(metricName, Map.copyOf(group.getAllVariables()), id, metric));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.remove(group.getMetricIdentifier(metricName));
    }

    /** Creates the tap. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new MetricsTap();
        }
    }
}
