package io.vigil.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extractor the dashboard test relies on. */
class PromQlTest {

    @Test
    void aBareSelectorIsItsName() {
        assertThat(PromQl.metricNames("flink_jobmanager_numRegisteredTaskManagers"))
                .containsExactly("flink_jobmanager_numRegisteredTaskManagers");
    }

    @Test
    void functionsAggregationsAndLabelListsAreNotMetrics() {
        assertThat(PromQl.metricNames("topk(10, sum by (rule) (rate(a_b_c{job_name=~\"$job\", rule!=\"x\"}[$__rate_interval])))"))
                .containsExactly("a_b_c");
        assertThat(PromQl.metricNames("sum(rate(x_total[5m])) without (instance, job) / ignoring(code) group_left(le) y"))
                .containsExactly("x_total", "y");
        assertThat(PromQl.metricNames("max without (tm_id) (m7) + count by(x)(m8)")).containsExactly("m7", "m8");
    }

    @Test
    void numbersDurationsKeywordsStringsAndVariablesAreNotMetrics() {
        assertThat(PromQl.metricNames("time() - max(m1{quantile=\"0.99\"}) / 1000 > 3e2 and m2 offset 5m or on() vector(1)"))
                .containsExactly("m1", "m2");
        assertThat(PromQl.metricNames("label_replace(m3, \"dst\", \"$1\", \"src\", \"(.*)\") unless $var"))
                .containsExactly("m3");
        assertThat(PromQl.metricNames("m4 > bool 0.5")).containsExactly("m4");
    }

    @Test
    void labelMatchersWithBracesInStringsStayInside() {
        assertThat(PromQl.metricNames("m5{path=~\"a}{b\"} + m6")).containsExactly("m5", "m6");
    }
}
