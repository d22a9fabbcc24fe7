package io.vigil.jobs.stream;

import static io.vigil.jobs.metrics.PrometheusNames.labelValue;
import static io.vigil.jobs.metrics.PrometheusNames.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.elasticsearch.FaultInjectingProxy;
import io.vigil.connectors.webhook.WebhookReceiver;
import io.vigil.connectors.webhook.WebhookReceiver.Reply;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.metrics.Dashboard;
import io.vigil.jobs.metrics.PrometheusText;
import io.vigil.jobs.metrics.PromQl;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.model.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vigil's metrics as Prometheus scrapes them (docs/metrics.md): the streaming job on real Kafka,
 * a real Elasticsearch node (behind a proxy that refuses the alert requests) and loopback webhook
 * receivers, in a cluster whose Prometheus reporter is set as {@code metrics.prometheus.port}
 * sets it ({@link FlinkSettings#prometheus}). The input makes records of two formats, decode dead
 * letters, an alert, its Elasticsearch refusal, and webhook deliveries retried, delivered and
 * refused; after a completed checkpoint the plain-HTTP scrape has each of Vigil's metrics with
 * the counts the input implies, and every metric the Grafana dashboard and the example alerting
 * rules query.
 */
class MetricsScrapeTest {

    private static final int PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(reporter()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** The jobs module's tests get this secret in VIGIL_TEST_WEBHOOK_SECRET (pom.xml). */
    private static final String SECRET = "test-webhook-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RULE = "ssh-brute-force";

    @TempDir
    Path dir;

    private final StreamingJobTest helper = new StreamingJobTest();

    private static Configuration reporter() {
        Configuration c = new Configuration();
        FlinkSettings.prometheus(c, Integer.toString(PORT));
        return c;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void services() {
        StreamingJobTest.services();
    }

    @Test
    void theScrapeHasVigilsMetricsWithTheInputsCountsAndEveryMetricTheDashboardQueries() throws Exception {
        String prefix = "metrics";
        StreamingJobTest.kafka.createTopics(1, prefix + ".syslog", prefix + ".windows", prefix + ".dead-letters",
                prefix + ".alerts");
        Instant t0 = Instant.parse("2024-08-01T10:00:00Z");
        // 6 failed logins (one ssh-brute-force alert), a line no decoder takes, a later event; a broken Windows record
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>(
                StreamingJobTest.bruteForce(prefix + ".syslog", "203.0.113.9", t0, 6, false));
        input.add(StreamingJobTest.record(prefix + ".syslog", t0.plusSeconds(40), "this is not a log line"));
        input.add(cron(prefix, t0.plusSeconds(600)));
        input.add(StreamingJobTest.record(prefix + ".windows", t0.plusSeconds(41), "{\"EventID\":4625,\"Channel\":\"Secu"));
        StreamingJobTest.produce(input);

        try (WebhookReceiver soar = WebhookReceiver.start(SECRET).then(Reply.status(500), Reply.status(500));
             WebhookReceiver ticketing = WebhookReceiver.start(SECRET).otherwise(Reply.status(400));
             FaultInjectingProxy proxy = FaultInjectingProxy.to(StreamingServices.ES.url())) {
            // Elasticsearch refuses the alerts for good: they go to the dead-letter topic, counted as refusals
            proxy.fault(r -> r.isBulk() && r.bodyText().contains("\"_index\":\"vigil-alerts-")
                    ? FaultInjectingProxy.Reply.error(403, "security_exception", "unauthorized") : null);
            Map<String, String> m = helper.settings(prefix, dir.resolve("chk").toString());
            m.put("elasticsearch.urls", proxy.url());
            m.put("elasticsearch.refused-request-retries", "1");
            endpoint(m, "soar", soar.url("/hooks"));
            endpoint(m, "ticketing", ticketing.url("/tickets"));
            JobClient job = helper.start(VigilConfig.of(m, "test"));
            try {
                soar.await("a delivered webhook", r -> r.stream().anyMatch(x -> x.replied() == 200), WAIT);
                // one more event, over a second after the first ones: the evaluation time is sampled then
                long before = System.currentTimeMillis();
                StreamingJobTest.produce(List.of(cron(prefix, t0.plusSeconds(700))));
                PrometheusText scrape = scrapeUntil(s -> complete(s, before));

                String records = of(VigilMetrics.FORMAT, VigilMetrics.RECORDS);
                String events = of(VigilMetrics.FORMAT, VigilMetrics.EVENTS);
                String dead = of(VigilMetrics.REASON, VigilMetrics.DEAD_LETTERS);
                String ruleEvents = of(VigilMetrics.RULE, VigilMetrics.RULE_EVENTS);
                String ruleAlerts = of(VigilMetrics.RULE, VigilMetrics.RULE_ALERTS);
                String time = of(VigilMetrics.RULE, VigilMetrics.RULE_EVALUATION_NANOS);
                String retries = of(VigilMetrics.OUTPUT, VigilMetrics.ES_RETRIES);
                String refusals = of(VigilMetrics.OUTPUT, VigilMetrics.ES_REFUSALS);
                String pending = of(VigilMetrics.OUTPUT, VigilMetrics.ES_PENDING);
                String webhooks = of(VigilMetrics.OUTCOME, VigilMetrics.WEBHOOK_DELIVERIES);
                String rule = labelValue(RULE);

                // (a) each of Vigil's metrics, with its label and the count the input makes
                assertThat(scrape.sum(records, VigilMetrics.FORMAT, "syslog")).isEqualTo(9);
                assertThat(scrape.sum(records, VigilMetrics.FORMAT, "windows")).isEqualTo(1);
                assertThat(scrape.sum(events, VigilMetrics.FORMAT, "syslog")).isEqualTo(8);
                assertThat(scrape.sum(dead, VigilMetrics.REASON, DeadLetter.DECODE)).isEqualTo(2);
                assertThat(scrape.sum(dead, VigilMetrics.REASON, DeadLetter.WEBHOOK)).isEqualTo(1);
                assertThat(scrape.of(dead, s -> labelValue(DeadLetter.EVENT_TIME).equals(s.label(VigilMetrics.REASON))))
                        .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(0.0);
                assertThat(scrape.sum(ruleEvents, VigilMetrics.RULE, rule)).isEqualTo(6);
                double alerts = scrape.sum(ruleAlerts, VigilMetrics.RULE, rule);
                assertThat(alerts).isGreaterThanOrEqualTo(1);
                // every alert document was refused (the proxy), each one counted once
                assertThat(scrape.sum(refusals, VigilMetrics.OUTPUT, "alerts")).isEqualTo(alerts);
                assertThat(scrape.sum(refusals, VigilMetrics.OUTPUT, "dead_letters")).isZero();
                assertThat(scrape.sum(retries, VigilMetrics.OUTPUT, "alerts")).isGreaterThanOrEqualTo(1);
                assertThat(scrape.of(pending, s -> true)).extracting(s -> s.label(VigilMetrics.OUTPUT))
                        .contains("alerts", "dead_letters", "incidents", "timeline", "deliveries", "rule_stats");
                assertThat(scrape.sum(webhooks, VigilMetrics.OUTCOME, "retrying")).isEqualTo(2);
                assertThat(scrape.sum(webhooks, VigilMetrics.OUTCOME, "delivered")).isEqualTo(1);
                assertThat(scrape.sum(webhooks, VigilMetrics.OUTCOME, "failed")).isEqualTo(1);
                assertThat(scrape.sum(webhooks, VigilMetrics.OUTCOME, "exhausted")).isZero();
                assertThat(scrape.sum(time + "_count", VigilMetrics.RULE, rule)).isGreaterThanOrEqualTo(1);
                assertThat(scrape.of(time, s -> rule.equals(s.label(VigilMetrics.RULE))))
                        .extracting(s -> s.label("quantile")).contains("0.5", "0.99");
                // the events are from 2024: event time is far behind the clock
                assertThat(scrape.of(of(VigilMetrics.WATERMARK_LAG_MS), s -> true)).singleElement()
                        .satisfies(s -> assertThat(s.value()).isGreaterThan(Duration.ofDays(365).toMillis()));
                // Flink's own: checkpoints, restarts, TaskManagers, the Kafka source's lag
                assertThat(scrape.of("flink_jobmanager_job_lastCheckpointCompletedTimestamp", s -> true))
                        .singleElement().satisfies(s -> assertThat(s.value()).isGreaterThan(before));
                assertThat(scrape.of("flink_jobmanager_job_numRestarts", s -> true)).singleElement()
                        .extracting(PrometheusText.Sample::value).isEqualTo(0.0);
                assertThat(scrape.of("flink_jobmanager_numRegisteredTaskManagers", s -> true)).singleElement()
                        .extracting(PrometheusText.Sample::value).isEqualTo(1.0);
                assertThat(scrape.of("flink_taskmanager_job_task_operator_pendingRecords",
                        s -> s.label("operator_name").startsWith("Source:_kafka_raw_topics"))).isNotEmpty();

                // (b) every metric the dashboard and the alerting rules query is in the scrape
                Map<String, String> queries = new TreeMap<>(Dashboard.expressions(Dashboard.read()));
                queries.putAll(Dashboard.alertExpressions());
                Set<String> scraped = scrape.names();
                Map<String, Set<String>> missing = new TreeMap<>();
                queries.forEach((where, expr) -> {
                    Set<String> absent = new TreeSet<>(PromQl.metricNames(expr));
                    absent.removeAll(scraped);
                    if (!absent.isEmpty()) {
                        missing.put(where, absent);
                    }
                });
                assertThat(missing).as("metrics queried but not scraped").isEmpty();
            } finally {
                StreamingJobTest.cancel(job);
            }
        }
    }

    /** Whether the scrape shows every effect of the input, and a checkpoint completed after {@code since}. */
    private static boolean complete(PrometheusText s, long since) {
        String rule = labelValue(RULE);
        double alerts = s.sum(of(VigilMetrics.RULE, VigilMetrics.RULE_ALERTS), VigilMetrics.RULE, rule);
        return s.sum(of(VigilMetrics.FORMAT, VigilMetrics.RECORDS), VigilMetrics.FORMAT, "syslog") >= 9
                && s.sum(of(VigilMetrics.RULE, VigilMetrics.RULE_EVALUATION_NANOS) + "_count", VigilMetrics.RULE, rule) >= 1
                && alerts >= 1
                && s.sum(of(VigilMetrics.OUTPUT, VigilMetrics.ES_REFUSALS), VigilMetrics.OUTPUT, "alerts") >= alerts
                && s.sum(of(VigilMetrics.OUTCOME, VigilMetrics.WEBHOOK_DELIVERIES), VigilMetrics.OUTCOME, "failed") >= 1
                && s.sum(of(VigilMetrics.REASON, VigilMetrics.DEAD_LETTERS), VigilMetrics.REASON, DeadLetter.WEBHOOK) >= 1
                && s.of("flink_jobmanager_job_lastCheckpointCompletedTimestamp", x -> x.value() > since).size() == 1;
    }

    /** Scrapes until {@code done} holds of the scrape (or the deadline passes), and returns the last scrape. */
    private static PrometheusText scrapeUntil(Predicate<PrometheusText> done) throws Exception {
        String url = "http://127.0.0.1:" + PORT + "/metrics";
        long end = System.nanoTime() + WAIT.toNanos();
        PrometheusText last = null;
        while (System.nanoTime() < end) {
            try {
                last = PrometheusText.scrape(url);
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                // the reporter's server may not answer yet: poll on
            }
            Thread.sleep(300);
        }
        assertThat(last).as("a scrape of " + url).isNotNull();
        return last; // the assertions say what is missing
    }

    private static ProducerRecord<byte[], byte[]> cron(String prefix, Instant t) {
        return StreamingJobTest.record(prefix + ".syslog", t, StreamingJobTest.SYSLOG.format(t)
                + " bastion CRON[9]: pam_unix(cron:session): session closed for user root");
    }

    private static void endpoint(Map<String, String> m, String name, String url) {
        String p = "webhooks.endpoints." + name + ".";
        m.put(p + "url", url);
        m.put(p + "secret-env", "VIGIL_TEST_WEBHOOK_SECRET");
        m.put(p + "initial-backoff", "100ms");
        m.put(p + "max-backoff", "300ms");
    }
}
