package io.vigil.jobs.metrics;

import java.util.regex.Pattern;

/**
 * How Flink's Prometheus reporter names Vigil's metrics (docs/metrics.md): the operator scope,
 * then the {@value VigilMetrics#GROUP} group, then the key of a key/value group (its value becomes
 * the label), then the metric, joined by {@code _}; for example
 * {@code flink_taskmanager_job_task_operator_vigil_format_records{format="syslog",...}}. Label
 * values keep only {@code [a-zA-Z0-9:_]}, others become {@code _} ({@code ssh-brute-force} is
 * {@code ssh_brute_force}).
 */
public final class PrometheusNames {

    /** The scope of operator metrics on a TaskManager. */
    public static final String OPERATOR = "flink_taskmanager_job_task_operator_";

    private static final Pattern INVALID_LABEL_CHARS = Pattern.compile("[^a-zA-Z0-9:_]");

    private PrometheusNames() {}

    /** The Prometheus name of a metric registered directly in Vigil's group ({@link VigilMetrics#WATERMARK_LAG_MS}). */
    public static String of(String metric) {
        return OPERATOR + VigilMetrics.GROUP + "_" + metric;
    }

    /** The Prometheus name of a metric registered under a label ({@code key}) in Vigil's group. */
    public static String of(String key, String metric) {
        return OPERATOR + VigilMetrics.GROUP + "_" + key + "_" + metric;
    }

    /** A label value as the reporter writes it. */
    public static String labelValue(String value) {
        return INVALID_LABEL_CHARS.matcher(value).replaceAll("_");
    }
}
