package io.vigil.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The short version of every fault scenario of {@code ./vigil bench --only faults}: 20,000 generated
 * records (one attack per 100 benign ones) through Kafka into the job jar on a Flink standalone
 * cluster of separate processes (a JobManager, 2 TaskManagers), writing to a real Elasticsearch node
 * and a webhook receiver on loopback; each fault run against the fault-free run of the same records
 * on the same cluster. Nothing may be lost or duplicated: alerts and incidents by document id,
 * webhook deliveries by idempotency key (accepted, or dead-lettered with a reason).
 *
 * <p>One broker, node and cluster serve every scenario; each run has its own topics, consumer group,
 * checkpoints, indices (emptied between runs) and receiver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(400)
class FaultScenariosTest {

    static final long RECORDS = 20_000;

    /**
     * Each fault alone, left out of the default build (bench/pom.xml excludes this tag) to keep CI well
     * inside its 30 minutes: each costs one to two and a half minutes of cluster time. The default
     * build keeps the fault-free run, two TaskManager kills, the failing webhook receiver, and the four
     * other faults one after another in a single run ({@link FaultScenario#FOUR_IN_ONE_RUN}). Each
     * alone runs with {@code ./mvnw -pl bench verify -Dfaults.excluded=none -Dtest=FaultScenariosTest}
     * and, long, in {@code ./vigil bench --only faults}.
     */
    static final String LONG = "long-fault";

    /** Kept after the run: each run's alerts ({@code <run>-alerts.tsv}) and the cluster's logs. */
    private final Path work = Path.of("target", "faults");

    private final PrintWriter log = new PrintWriter(System.out, true);
    private FaultHarness harness;
    private FaultHarness.Result baseline;

    @BeforeAll
    void startAndRunWithoutFaults() throws Exception {
        if (Files.exists(work)) {
            try (var paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        harness = FaultHarness.start(FaultHarness.Settings.quick(RECORDS), work, FaultHarness.jobJar(Path.of("..")), log);
        baseline = harness.run(FaultScenario.BASELINE);
        // the comparison means something only if the records raise alerts, incidents and deliveries
        assertThat(baseline.outputs().alerts()).hasSizeGreaterThan(50);
        assertThat(baseline.outputs().incidents()).isNotEmpty();
        assertThat(baseline.outputs().accepted()).hasSizeGreaterThan(baseline.outputs().alerts().size());
        assertThat(baseline.outputs().deadLettered()).isEmpty();
    }

    @AfterAll
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private record Checked(Comparison comparison, FaultHarness.Result run) {}

    private Checked exact(FaultScenario scenario) throws Exception {
        FaultHarness.Result run = harness.run(scenario);
        Comparison c = Comparison.of(baseline.outputs(), run.outputs());
        log.printf("%s: %s; %s%n", scenario.id(), c, run.figures());
        assertThat(run.figures().path("input_records").asLong()).as("the same input as the fault-free run")
                .isEqualTo(baseline.figures().path("input_records").asLong());
        assertThat(c.alerts().lost()).as("alerts lost: %s", c.alerts()).isZero();
        assertThat(c.alerts().duplicated()).as("alerts duplicated: %s", c.alerts()).isZero();
        assertThat(c.incidents().lost()).as("incidents lost: %s", c.incidents()).isZero();
        assertThat(c.incidents().duplicated()).as("incidents duplicated: %s", c.incidents()).isZero();
        assertThat(c.webhooks().lost()).as("webhook deliveries lost: %s", c.webhooks()).isZero();
        assertThat(c.webhooks().duplicated()).as("webhook deliveries duplicated: %s", c.webhooks()).isZero();
        assertThat(run.figures().path("recover_ms").asLong(0)).isGreaterThanOrEqualTo(0);
        return new Checked(c, run);
    }

    @Test
    void taskManagerKilledTwice() throws Exception {
        exact(FaultScenario.TASKMANAGER_KILL);
    }

    @Test
    @Tag(LONG)
    void jobManagerKilledAndTheJobResubmittedFromItsNewestCheckpoint() throws Exception {
        exact(FaultScenario.JOBMANAGER_KILL);
    }

    @Test
    @Tag(LONG)
    void elasticsearchDownMidRun() throws Exception {
        exact(FaultScenario.ELASTICSEARCH_OUTAGE);
    }

    @Test
    @Tag(LONG)
    void kafkaRestartedMidRun() throws Exception {
        exact(FaultScenario.KAFKA_RESTART);
    }

    @Test
    void halfTheWebhookRequestsFailedEachDeliveryArrivesOnceOrIsDeadLetteredWithItsReason() throws Exception {
        Checked checked = exact(FaultScenario.WEBHOOK_FAULTS);
        Comparison c = checked.comparison();
        // the faults did happen, each kind
        for (String kind : new String[] {"http_5xx", "timeout", "reset"}) {
            assertThat(checked.run().figures().at("/receiver/" + kind).asLong()).as(kind).isPositive();
        }
        // the receiver answered every accepted request at once: no key is accepted twice
        assertThat(c.redelivered()).isZero();
        assertThat(c.deadLetterReasons().keySet()).allSatisfy(reason -> assertThat(reason).isNotBlank());
    }

    @Test
    @Tag(LONG)
    void savepointAtParallelism2RestoredAt4OnMoreTaskManagers() throws Exception {
        exact(FaultScenario.RESCALE);
    }

    @Test
    void elasticsearchDownKafkaRestartedJobManagerKilledAndRescaledInOneRun() throws Exception {
        Checked checked = exact(FaultScenario.FOUR_IN_ONE_RUN);
        // each fault happened, in this order, and the job came back after each
        var steps = checked.run().figures().path("steps");
        assertThat(steps.fieldNames()).toIterable().containsExactly("elasticsearch-outage", "kafka-restart",
                "jobmanager-kill", "rescale");
        steps.forEach(step -> assertThat(step.path("recover_ms").asLong(-1)).isNotNegative());
        assertThat(steps.at("/rescale/parallelism_after").asInt()).isEqualTo(4);
        assertThat(steps.at("/jobmanager-kill/restored_from").asText()).startsWith("chk-");
    }
}
