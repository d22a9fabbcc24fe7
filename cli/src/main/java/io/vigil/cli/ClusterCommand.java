package io.vigil.cli;

import io.vigil.cli.flink.FlinkRest;
import io.vigil.cli.flink.JobJar;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.wiring.TransportSecurity;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.stream.Checkpoints;
import io.vigil.localstack.flink.LocalFlinkCluster;
import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil cluster}: a Flink standalone cluster of separate processes on this machine. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"A Flink standalone session cluster on this machine: a JobManager and TaskManagers as separate "
                + "JVM processes, from Flink's artifacts on Maven Central, configured by deploy/flink/config.yaml "
                + "(the file docker-compose.yml uses too) with loopback addresses, free ports and the directories "
                + "of --dir. See docs/cluster.md."},
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class,
            ClusterCommand.Submit.class, ClusterCommand.Savepoint.class})
public final class ClusterCommand implements Runnable {

    /** Default working directory of the cluster: logs, checkpoints, its state file. */
    public static final String DEFAULT_DIR = "data/cluster";
    /** The job's name on the cluster (StreamingMain's {@code execute("vigil")}). */
    public static final String JOB_NAME = "vigil";
    static final Set<String> ACTIVE = Set.of("INITIALIZING", "CREATED", "RUNNING", "RESTARTING", "FAILING",
            "CANCELLING", "RECONCILING");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: use one of "
                + spec.subcommands().keySet());
    }

    /** --dir, shared by the subcommands. */
    static class DirOption {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "The cluster's working directory: logs (log/), checkpoints and savepoints "
                        + "(checkpoints/), its state file (cluster.json). Default: ${DEFAULT-VALUE}.")
        Path dir;
    }

    /** --dir or --rest: the REST API of the cluster to talk to. */
    static class Target {
        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @Option(names = "--rest", paramLabel = "URL",
                description = "The cluster's REST API (default: that of the local cluster in --dir).")
        String rest;

        FlinkRest client() throws IOException {
            return new FlinkRest(rest != null ? rest : LocalFlinkCluster.attach(dir.dir).restUrl());
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a JobManager and TaskManagers; returns once every TaskManager is registered.")
    static final class Start implements Callable<Integer> {
        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @Option(names = "--taskmanagers", paramLabel = "N", defaultValue = "1",
                description = "TaskManager processes (default ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(names = "--slots", paramLabel = "S", defaultValue = "2",
                description = "Task slots per TaskManager (default ${DEFAULT-VALUE}).")
        int slots;

        @Option(names = "--rest-port", paramLabel = "P", defaultValue = "8081",
                description = "Port of the REST API and web UI, on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
        int restPort;

        @Option(names = "--flink-config", paramLabel = "FILE",
                description = "The Flink configuration the processes start from (default: deploy/flink/config.yaml "
                        + "of the repository, when found).")
        Path flinkConfig;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (taskManagers < 1 || slots < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--taskmanagers and --slots must be >= 1");
            }
            Path config = flinkConfig != null ? flinkConfig : LocalFlinkCluster.sharedConfig().orElse(null);
            LocalFlinkCluster cluster = LocalFlinkCluster.builder().workDir(dir.dir).taskManagers(taskManagers)
                    .slots(slots).restPort(restPort).configFile(config).build().start();
            PrintWriter out = spec.commandLine().getOut();
            out.println("Flink cluster started: " + cluster.restUrl() + " (REST API and web UI)");
            out.println("  " + taskManagers + " TaskManager(s) of " + slots + " slot(s); configuration "
                    + (config != null ? config : "Flink's defaults"));
            out.println("  logs " + cluster.logDir() + ", checkpoints " + cluster.checkpointDir());
            out.println("Submit the job: vigil cluster submit --dir " + dir.dir + " --config vigil.yaml");
            return VigilCli.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop every process of the cluster (SIGTERM, then SIGKILL after a grace period). "
                    + "Checkpoints and logs stay in --dir.")
    static final class Stop implements Callable<Integer> {
        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LocalFlinkCluster cluster = LocalFlinkCluster.attach(dir.dir);
            cluster.stop();
            spec.commandLine().getOut().println("Flink cluster in " + dir.dir + " stopped");
            return VigilCli.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The cluster's processes, registered TaskManagers, slots and jobs. Exit 0 when the "
                    + "JobManager runs and answers, 1 otherwise.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        DirOption dir = new DirOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            LocalFlinkCluster cluster = LocalFlinkCluster.attach(dir.dir);
            List<Integer> live = cluster.liveTaskManagers();
            out.println("Flink cluster in " + dir.dir + ": " + cluster.restUrl());
            out.println("  JobManager process   " + (cluster.isJobManagerAlive() ? "running" : "NOT RUNNING"));
            out.println("  TaskManager processes " + live.size() + " running " + live);
            FlinkRest rest = new FlinkRest(cluster.restUrl(), Duration.ofSeconds(5));
            if (!cluster.isJobManagerAlive() || !rest.reachable()) {
                out.println("  REST API             not answering");
                return VigilCli.FAILURE;
            }
            Map<String, Integer> o = rest.overview();
            out.println("  registered           " + o.getOrDefault("taskmanagers", 0) + " TaskManager(s), "
                    + o.getOrDefault("slots-available", 0) + " of " + o.getOrDefault("slots-total", 0)
                    + " slot(s) free");
            List<FlinkRest.Job> jobs = rest.jobs();
            out.println("  jobs                 " + (jobs.isEmpty() ? "none" : ""));
            for (FlinkRest.Job j : jobs) {
                out.println("    " + j.id() + "  " + SafeText.escape(j.name()) + "  " + j.state()
                        + (j.startTime() != null ? "  since " + j.startTime() : ""));
            }
            return VigilCli.OK;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Upload the job jar and run Vigil's streaming job (" + JobJar.ENTRY_CLASS + " --config FILE) "
                    + "on the cluster. The JobManager runs the job's main and reads FILE itself: the path must be "
                    + "valid there (it is, for the local cluster).",
                "Refused when a job named '" + JOB_NAME + "' is already active on the cluster."})
    static final class Submit implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
                description = "Vigil's configuration (vigil.yaml).")
        Path config;

        @Option(names = "--jar", paramLabel = "JAR",
                description = "The job jar (default: jobs/target/vigil-jobs-*-job.jar of the repository, or "
                        + JobJar.IMAGE_JAR + ").")
        Path jar;

        @Option(names = {"-p", "--parallelism"}, paramLabel = "P",
                description = "The job's parallelism (default: parallelism of the configuration).")
        Integer parallelism;

        @Option(names = "--from-savepoint", paramLabel = "PATH",
                description = "Restore from this savepoint or retained checkpoint.")
        String fromSavepoint;

        @Option(names = "--from-latest-checkpoint",
                description = "Restore from the newest complete checkpoint under checkpoints.dir of the configuration "
                        + "(after a JobManager restart: a cluster without HA forgets its jobs).")
        boolean fromLatestCheckpoint;

        @Option(names = "--allow-non-restored-state",
                description = "Let the restore skip state that no operator of the job claims.")
        boolean allowNonRestoredState;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (fromSavepoint != null && fromLatestCheckpoint) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--from-savepoint and --from-latest-checkpoint exclude each other");
            }
            Path file = config.toAbsolutePath().normalize();
            VigilConfig c = VigilConfig.load(file);   // a bad file fails here, not on the JobManager
            // the cluster's processes read the secrets: one this machine lacks is a warning, as is a credential in clear
            for (String w : TransportSecurity.warnings(c, System::getenv)) {
                spec.commandLine().getErr().println("warning: " + SafeText.escape(w));
            }
            String restore = fromSavepoint;
            if (fromLatestCheckpoint) {
                String dir = c.get(VigilOptions.CHECKPOINT_DIR);
                restore = Checkpoints.latest(dir).map(Path::toString).orElseThrow(() -> new IOException(
                        "No complete checkpoint under checkpoints.dir " + dir + " of " + file));
            }
            Path jobJar = jar != null ? jar : JobJar.locate();
            if (!Files.isRegularFile(jobJar)) {
                throw new IOException("No job jar " + jobJar);
            }
            FlinkRest rest = target.client();
            Optional<FlinkRest.Job> active = rest.jobs().stream()
                    .filter(j -> JOB_NAME.equals(j.name()) && ACTIVE.contains(j.state())).findFirst();
            if (active.isPresent()) {
                throw new IOException("Job '" + JOB_NAME + "' " + active.get().id() + " is already " + active.get().state()
                        + " on " + rest.baseUrl() + ": stop it first (vigil cluster savepoint --stop)");
            }
            PrintWriter out = spec.commandLine().getOut();
            String jarId = rest.uploadJar(jobJar);
            if (restore != null) {
                out.println("restoring from " + SafeText.escape(restore));
            }
            String jobId = rest.runJar(jarId, JobJar.ENTRY_CLASS, List.of("--config", file.toString()),
                    parallelism, restore, allowNonRestoredState);
            String state = awaitRunning(rest, jobId, Duration.ofSeconds(60));
            out.println("Job " + jobId + " submitted to " + rest.baseUrl() + ": " + state);
            return "RUNNING".equals(state) ? VigilCli.OK : VigilCli.FAILURE;
        }

        static String awaitRunning(FlinkRest rest, String jobId, Duration timeout) throws IOException, InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            String state = rest.job(jobId).state();
            while (!"RUNNING".equals(state) && ACTIVE.contains(state) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                state = rest.job(jobId).state();
            }
            return state;
        }
    }

    @Command(name = "savepoint", mixinStandardHelpOptions = true,
            description = "Take a savepoint of the running job (optionally stopping it) and print its path: restore "
                    + "it with `vigil cluster submit --from-savepoint PATH`, at another parallelism if need be.")
    static final class Savepoint implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();

        @Option(names = "--job", paramLabel = "ID", description = "The job (default: the running job named '"
                + JOB_NAME + "').")
        String job;

        @Option(names = "--stop", description = "Stop the job once the savepoint is taken.")
        boolean stop;

        @Option(names = "--target", paramLabel = "DIR",
                description = "Where the savepoint goes (default: the cluster's execution.checkpointing.savepoint-dir).")
        Path targetDir;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT5M",
                description = "How long to wait for it (ISO-8601, default ${DEFAULT-VALUE}).")
        Duration timeout;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            FlinkRest rest = target.client();
            String id = job;
            if (id == null) {
                id = rest.jobs().stream().filter(j -> JOB_NAME.equals(j.name()) && "RUNNING".equals(j.state()))
                        .map(FlinkRest.Job::id).findFirst()
                        .orElseThrow(() -> new IOException("No running job '" + JOB_NAME + "' on " + rest.baseUrl()));
            }
            String path = rest.savepoint(id, targetDir == null ? null : targetDir.toAbsolutePath(), stop, timeout);
            spec.commandLine().getOut().println(path);
            return VigilCli.OK;
        }
    }
}
