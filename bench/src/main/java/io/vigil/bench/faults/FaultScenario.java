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
                k.put("at_share_produced", share(at));
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
            long recovered = jobManagerKill(run, 0.3 + 0.3 * random(run).nextDouble(), run.figures);
            run.figures.put("recover_ms", recovered);
        }
    },

    /** The Elasticsearch node stopped mid-run for {@link FaultHarness.Settings#outage()}, then started on its data. */
    ELASTICSEARCH_OUTAGE("elasticsearch-outage", false) {
        @Override
        void inject(FaultHarness.Run run) throws Exception {
            long recovered = elasticsearchOutage(run, 0.2 + 0.3 * random(run).nextDouble(), run.figures);
            run.figures.put("recover_ms", recovered);
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
            long recovered = kafkaRestart(run, 0.2 + 0.4 * random(run).nextDouble(), run.figures);
            run.figures.put("recover_ms", recovered);
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
            long recovered = rescale(run, 0.3 + 0.3 * random(run).nextDouble(), run.figures);
            run.figures.put("recover_ms", recovered);
        }
    },

    /**
     * The four faults that cost the most cluster time, one after the other in a single run, so the
     * default build keeps each of them true for the price of one run: Elasticsearch down at 10 % of
     * the records, the broker restarted at 30 %, the JobManager killed and the job resubmitted from its
     * newest checkpoint at 50 %, a savepoint and a restore at twice the parallelism at 75 %. The
     * records come at a quarter of the settings' rate so every fault lands while they still arrive.
     * Not part of {@code ./vigil bench --only faults} by default: the bench runs each fault alone.
     */
    FOUR_IN_ONE_RUN("four-in-one-run", false) {
        @Override
        long ratePerSecond(FaultHarness.Settings settings) {
            return Math.max(1, settings.ratePerSecond() / 4);
        }

        @Override
        void inject(FaultHarness.Run run) throws Exception {
            ObjectNode steps = run.figures.putObject("steps");
            long worst = elasticsearchOutage(run, 0.10, steps.putObject(ELASTICSEARCH_OUTAGE.id()));
            worst = Math.max(worst, kafkaRestart(run, 0.30, steps.putObject(KAFKA_RESTART.id())));
            worst = Math.max(worst, jobManagerKill(run, 0.50, steps.putObject(JOBMANAGER_KILL.id())));
            worst = Math.max(worst, rescale(run, 0.75, steps.putObject(RESCALE.id())));
            run.figures.put("recover_ms", worst);
        }
    };

    /** What {@code ./vigil bench --only faults} runs when no scenario is named: each fault alone. */
    public static List<FaultScenario> benchDefault() {
        return List.of(TASKMANAGER_KILL, JOBMANAGER_KILL, ELASTICSEARCH_OUTAGE, KAFKA_RESTART, WEBHOOK_FAULTS, RESCALE);
    }

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

    /** Records produced per second of wall clock in this scenario's run. */
    long ratePerSecond(FaultHarness.Settings settings) {
        return settings.ratePerSecond();
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
     * {@code kill -9} of the JobManager once {@code at} of the records are produced (and a checkpoint
     * exists), a JobManager started again, the job resubmitted from the newest retained checkpoint; its
     * figures into {@code into}; the time to recover.
     */
    static long jobManagerKill(FaultHarness.Run run, double at, ObjectNode into) throws Exception {
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
        into.put("at_share_produced", share(at));
        into.put("restored_from", latest.getFileName().toString());
        into.put("recover_ms", recovered.toMillis());
        log(run, "killed the JobManager at %.0f %% of the records; resubmitted from %s; recovered in %s", at * 100,
                latest.getFileName(), FaultHarness.seconds(recovered));
        return recovered.toMillis();
    }

    /** The Elasticsearch node stopped for the settings' outage at {@code at} of the records, started on its data. */
    static long elasticsearchOutage(FaultHarness.Run run, double at, ObjectNode into) throws Exception {
        return serviceDown(run, at, into, "outage_ms", "Elasticsearch down", () -> {
            run.harness().elasticsearch().stop();
            // the length of the fault, not a wait for a result
            Thread.sleep(run.settings().outage().toMillis());
            run.harness().elasticsearch().start();
        });
    }

    /** The broker restarted at {@code at} of the records, the shipper waiting while it does. */
    static long kafkaRestart(FaultHarness.Run run, double at, ObjectNode into) throws Exception {
        return serviceDown(run, at, into, "restart_ms", "Kafka restarted",
                () -> run.whileProductionPaused(() -> run.harness().kafka().restart()));
    }

    /**
     * A savepoint at {@code at} of the records, stopping the job; TaskManagers up to twice the
     * settings' number; the job restored from the savepoint at twice the settings' parallelism.
     */
    static long rescale(FaultHarness.Run run, double at, ObjectNode into) throws Exception {
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
        into.put("at_share_produced", share(at));
        into.put("savepoint_ms", savepointMs);
        into.put("parallelism_before", run.settings().parallelism());
        into.put("parallelism_after", parallelism);
        into.put("taskmanagers_after", wanted);
        into.put("recover_ms", recovered.toMillis());
        log(run, "savepoint at %.0f %% of the records in %,d ms; restored at parallelism %d on %d TaskManagers; "
                + "first checkpoint %s after the savepoint began", at * 100, savepointMs, parallelism, wanted,
                FaultHarness.seconds(recovered));
        return recovered.toMillis();
    }

    /**
     * {@code outage} once {@code at} of the records are produced; its length under {@code figure}, and
     * the time from the service's return to the job's first checkpoint after it.
     */
    private static long serviceDown(FaultHarness.Run run, double at, ObjectNode into, String figure, String what,
                                    Action outage) throws Exception {
        run.awaitProduced(at);
        long t0 = System.nanoTime();
        outage.run();
        Instant back = Instant.now();
        long down = (System.nanoTime() - t0) / 1_000_000;
        Duration recovered = run.awaitRecovery(back);
        into.put("at_share_produced", share(at));
        into.put(figure, down);
        into.put("recover_ms", recovered.toMillis());
        log(run, "%s at %.0f %% of the records for %,d ms; first checkpoint %s after it was back", what, at * 100, down,
                FaultHarness.seconds(recovered));
        return recovered.toMillis();
    }

    private static double share(double at) {
        return Math.round(at * 1000) / 1000.0;
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
