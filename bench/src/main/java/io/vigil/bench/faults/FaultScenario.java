package io.vigil.bench.faults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.stream.Checkpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * The faults, each injected into a {@link FaultHarness.Run} while the records are produced, at a
 * moment drawn from the run's seed (a share of the records produced), with the time to recover
 * measured from the harness: from the fault (or the service's return) until the job is running and
 * has completed a checkpoint after it.
 */
public enum FaultScenario {

    /** No fault: the expected outputs. */
    BASELINE("baseline", false) {
        @Override
        void inject(FaultHarness.Run run) {
            // nothing: the same records through the same job
        }
    },

    /**
     * {@code kill -9} of a TaskManager (drawn among the live ones) twice per run; a replacement is
     * started at once, so the second kill again hits a cluster of two. The job restarts on the free
     * slots (each TaskManager has enough for the whole job) from its last checkpoint.
     */
    TASKMANAGER_KILL("taskmanager-kill", false) {
        @Override
        void inject(FaultHarness.Run run) throws Exception {
            Random random = random(run);
            ArrayNode kills = run.figures.putArray("kills");
            for (double from : List.of(0.15, 0.55)) {
                double at = from + 0.25 * random.nextDouble();
                run.awaitProduced(at);
                List<Integer> live = run.harness().cluster().liveTaskManagers();
                int victim = live.get(random.nextInt(live.size()));
                Instant t = Instant.now();
                run.harness().cluster().killTaskManager(victim);
                int replacement = run.harness().cluster().startTaskManager();
                Duration recovered = run.awaitRecovery(t);
                ObjectNode k = kills.addObject();
                k.put("at_share_produced", Math.round(at * 1000) / 1000.0);
                k.put("taskmanager", victim);
                k.put("replacement", replacement);
                k.put("recover_ms", recovered.toMillis());
                log(run, "killed TaskManager %d at %.0f %% of the records; replacement %d; recovered in %s", victim,
                        at * 100, replacement, FaultHarness.seconds(recovered));
            }
            long worst = 0;
            for (var k : kills) {
                worst = Math.max(worst, k.path("recover_ms").asLong());
            }
            run.figures.put("recover_ms", worst);
        }
    },

    /**
     * {@code kill -9} of the JobManager; a JobManager is started again on the same ports (the
     * TaskManagers register with it) and the job is submitted again from the newest retained
     * checkpoint under the run's checkpoint directory: no Flink high availability here, this is what
     * an operator (or a supervisor script) does without it.
     */
    JOBMANAGER_KILL("jobmanager-kill", false) {
        @Override
        void inject(FaultHarness.Run run) throws Exception {
            double at = 0.3 + 0.3 * random(run).nextDouble();
            run.awaitProduced(at);
            run.await("a first checkpoint", () -> Checkpoints.latest(run.checkpoints.toString()).isPresent());
            Instant t = Instant.now();
            run.harness().cluster().killJobManager();
            run.harness().cluster().startJobManager();
            run.forgetJar();
            Path latest = Checkpoints.latest(run.checkpoints.toString()).orElseThrow();
            String job = run.submit(run.settings().parallelism(), latest.toString());
            run.jobId(job);
            Duration recovered = run.awaitRecovery(t);
            run.figures.put("at_share_produced", Math.round(at * 1000) / 1000.0);
            run.figures.put("restored_from", latest.getFileName().toString());
            run.figures.put("recover_ms", recovered.toMillis());
            log(run, "killed the JobManager at %.0f %% of the records; resubmitted from %s; recovered in %s", at * 100,
                    latest.getFileName(), FaultHarness.seconds(recovered));
        }
    },

    /** The Elasticsearch node stopped mid-run for {@link FaultHarness.Settings#outage()}, then started on its data. */
    ELASTICSEARCH_OUTAGE("elasticsearch-outage", false) {
        @Override
        void inject(FaultHarness.Run run) throws Exception {
            serviceDown(run, 0.2, 0.3, "outage_ms", "Elasticsearch down", () -> {
                run.harness().elasticsearch().stop();
                // the length of the fault, not a wait for a result
                Thread.sleep(run.settings().outage().toMillis());
                run.harness().elasticsearch().start();
            });
        }
    },

    /**
     * The broker restarted mid-run on its data directory, listeners and ports. The harness's producer
     * (the shipper) waits while it restarts: a first run that kept sending saw 8 of 80 alerts under
     * other ids, same rule, key and times, their first event at another offset, so the input itself
     * had changed; the scenario is about what the job does.
     */
    KAFKA_RESTART("kafka-restart", false) {
        @Override
        void inject(FaultHarness.Run run) throws Exception {
            serviceDown(run, 0.2, 0.4, "restart_ms", "Kafka restarted",
                    () -> run.whileProductionPaused(() -> run.harness().kafka().restart()));
        }
    },

    /**
     * The receiver answers half of the requests with a fault (a third each: HTTP 500/503, no answer
     * within the client's timeout, the connection closed without an answer), for the whole run.
     */
    WEBHOOK_FAULTS("webhook-faults", true) {
        @Override
        void inject(FaultHarness.Run run) {
            // the faulty receiver is the fault
        }
    },

    /**
     * A savepoint of the job at parallelism 2 on 2 TaskManagers, stopping it; two more TaskManagers;
     * the job restored from the savepoint at parallelism 4 on the 4.
     */
    RESCALE("rescale", false) {
        @Override
        void inject(FaultHarness.Run run) throws Exception {
            double at = 0.3 + 0.3 * random(run).nextDouble();
            run.awaitProduced(at);
            Instant t = Instant.now();
            String savepoint = run.harness().flink().savepoint(run.jobId(), run.checkpoints.resolve("savepoints"), true,
                    Duration.ofMinutes(2));
            long savepointMs = Duration.between(t, Instant.now()).toMillis();
            int wanted = run.settings().taskManagers() * 2;
            while (run.harness().cluster().liveTaskManagers().size() < wanted) {
                run.harness().cluster().startTaskManager();
            }
            int parallelism = run.settings().parallelism() * 2;
            String job = run.submit(parallelism, savepoint);
            run.jobId(job);
            Duration recovered = run.awaitRecovery(t);
            run.figures.put("at_share_produced", Math.round(at * 1000) / 1000.0);
            run.figures.put("savepoint_ms", savepointMs);
            run.figures.put("parallelism_before", run.settings().parallelism());
            run.figures.put("parallelism_after", parallelism);
            run.figures.put("taskmanagers_after", wanted);
            run.figures.put("recover_ms", recovered.toMillis());
            log(run, "savepoint at %.0f %% of the records in %,d ms; restored at parallelism %d on %d TaskManagers; "
                    + "first checkpoint %s after the savepoint began", at * 100, savepointMs, parallelism, wanted,
                    FaultHarness.seconds(recovered));
        }
    };

    private final String id;
    private final boolean faultyReceiver;

    FaultScenario(String id, boolean faultyReceiver) {
        this.id = id;
        this.faultyReceiver = faultyReceiver;
    }

    /** The scenario's name in {@code bench/results.json} and on the command line. */
    public String id() {
        return id;
    }

    boolean faultyReceiver() {
        return faultyReceiver;
    }

    abstract void inject(FaultHarness.Run run) throws Exception;

    public static FaultScenario byId(String id) {
        for (FaultScenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no fault scenario " + id + "; known: "
                + java.util.Arrays.stream(values()).map(FaultScenario::id).toList());
    }

    /** What takes a service down and brings it back. */
    interface Action {
        void run() throws Exception;
    }

    /**
     * {@code outage} at a share of the records drawn in {@code [from, from + span)}; its length under
     * {@code figure}, and the time from the service's return to the job's first checkpoint after it.
     */
    private static void serviceDown(FaultHarness.Run run, double from, double span, String figure, String what,
                                    Action outage) throws Exception {
        double at = from + span * random(run).nextDouble();
        run.awaitProduced(at);
        long t0 = System.nanoTime();
        outage.run();
        Instant back = Instant.now();
        long down = (System.nanoTime() - t0) / 1_000_000;
        Duration recovered = run.awaitRecovery(back);
        run.figures.put("at_share_produced", Math.round(at * 1000) / 1000.0);
        run.figures.put(figure, down);
        run.figures.put("recover_ms", recovered.toMillis());
        log(run, "%s at %.0f %% of the records for %,d ms; first checkpoint %s after it was back", what, at * 100, down,
                FaultHarness.seconds(recovered));
    }

    /** The scenario's own random draws: the same for the same seed. */
    private static Random random(FaultHarness.Run run) {
        return new Random(run.settings().seed() * 31 + run.scenario.ordinal());
    }

    private static void log(FaultHarness.Run run, String format, Object... args) {
        run.harness().log().printf(java.util.Locale.ROOT, run.name + ": " + format + "%n", args);
        run.harness().log().flush();
    }
}
