package io.vigil.cli;

import io.vigil.cli.flink.FlinkRest;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil status}: the health of the streaming job on its Flink cluster, in one screen. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"The streaming job's health on its Flink cluster, from Flink's REST API: running or not "
                + "(state, uptime, restarts), age of the last checkpoint, Kafka lag (records the source has not "
                + "read yet), and the outputs: Elasticsearch retries, refusals and pending documents, webhook "
                + "outcomes (docs/cluster.md#status).",
            "Exit 0 healthy, 1 unhealthy (no running job, or no checkpoint for 3 checkpoint intervals + 30 s), "
                + "2 the REST API does not answer."})
public final class StatusCommand implements Callable<Integer> {

    /** Exit code when the REST API does not answer. */
    public static final int UNREACHABLE = 2;

    /** The Kafka source's standard metric: records in the topics it has not read yet. */
    static final String PENDING_RECORDS = "pendingRecords";

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Vigil's configuration (its flink.rest-url and checkpoints.interval).")
    Path config;

    @Option(names = "--rest", paramLabel = "URL", description = "Flink's REST API (default: flink.rest-url).")
    String rest;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT10S",
            description = "Time allowed per REST call (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        VigilConfig c = VigilConfig.load(config);
        String url = rest != null ? rest : c.get(VigilOptions.FLINK_REST_URL);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FlinkRest flink;
        Map<String, Integer> overview;
        List<FlinkRest.Job> jobs;
        try {
            flink = new FlinkRest(url, timeout);
            overview = flink.overview();
            jobs = flink.jobs();
        } catch (IOException | IllegalArgumentException e) {
            err.println("vigil status: UNREACHABLE: " + SafeText.escape(e.getMessage()));
            return UNREACHABLE;
        }
        List<String> problems = new ArrayList<>();
        out.println("Flink        " + url + ": " + overview.getOrDefault("taskmanagers", 0) + " TaskManager(s), "
                + overview.getOrDefault("slots-available", 0) + " of " + overview.getOrDefault("slots-total", 0)
                + " slot(s) free");
        Optional<FlinkRest.Job> job = jobs.stream().filter(j -> ClusterCommand.JOB_NAME.equals(j.name()))
                .max(Comparator.comparing(j -> j.startTime() == null ? Instant.EPOCH : j.startTime()));
        if (job.isEmpty()) {
            out.println("Job          none named '" + ClusterCommand.JOB_NAME + "'");
            problems.add("no job");
        } else {
            try {
                report(flink, job.get(), c, out, problems);
            } catch (IOException e) {
                err.println("vigil status: UNREACHABLE: " + SafeText.escape(e.getMessage()));
                return UNREACHABLE;
            }
        }
        out.println("Health       " + (problems.isEmpty() ? "OK" : "UNHEALTHY: " + String.join("; ", problems)));
        return problems.isEmpty() ? VigilCli.OK : VigilCli.FAILURE;
    }

    private void report(FlinkRest flink, FlinkRest.Job job, VigilConfig c, PrintWriter out, List<String> problems)
            throws IOException {
        Instant now = Instant.now();
        Duration uptime = job.startTime() == null ? Duration.ZERO : Duration.between(job.startTime(), now);
        long restarts = flink.jobMetrics(job.id(), List.of("numRestarts")).getOrDefault("numRestarts", 0.0).longValue();
        out.println("Job          " + job.id() + "  " + job.state() + ", up " + human(uptime) + ", " + restarts
                + " restart(s)");
        if (!"RUNNING".equals(job.state())) {
            problems.add("job " + job.state());
            return;
        }
        FlinkRest.Checkpoints cp = flink.checkpoints(job.id());
        Duration interval = c.get(VigilOptions.CHECKPOINT_INTERVAL);
        Duration allowed = interval.multipliedBy(3).plusSeconds(30);
        if (cp.latestCompleted() == null) {
            out.println("Checkpoint   none yet (" + cp.failed() + " failed)");
            if (uptime.compareTo(allowed) > 0) {
                problems.add("no checkpoint after " + human(uptime));
            }
        } else {
            Duration age = Duration.between(cp.latestCompleted(), now);
            out.println("Checkpoint   #" + cp.latestId() + " " + human(age) + " ago (" + cp.completed() + " completed, "
                    + cp.failed() + " failed)");
            if (age.compareTo(allowed) > 0) {
                problems.add("last checkpoint " + human(age) + " ago (interval " + human(interval) + ")");
            }
        }
        Set<String> ids = flink.vertexMetricIds(job.id());
        List<String> wanted = ids.stream().filter(StatusCommand::wanted).toList();
        Map<String, Double> values = flink.vertexMetrics(job.id(), wanted);
        double lag = sum(values, id -> id.endsWith("." + PENDING_RECORDS));
        boolean lagKnown = values.keySet().stream().anyMatch(id -> id.endsWith("." + PENDING_RECORDS));
        out.println("Kafka lag    " + (lagKnown ? String.format("%,d", (long) lag) + " record(s) not read yet"
                : "unknown (no " + PENDING_RECORDS + " metric yet)"));
        Map<String, double[]> es = new TreeMap<>();
        Map<String, Double> webhooks = new TreeMap<>();
        values.forEach((id, v) -> {
            String[] parts = id.split("\\.");
            String metric = parts[parts.length - 1];
            switch (metric) {
                case VigilMetrics.ES_RETRIES -> es.computeIfAbsent(label(parts, VigilMetrics.OUTPUT), k -> new double[3])[0] += v;
                case VigilMetrics.ES_REFUSALS -> es.computeIfAbsent(label(parts, VigilMetrics.OUTPUT), k -> new double[3])[1] += v;
                case VigilMetrics.ES_PENDING -> es.computeIfAbsent(label(parts, VigilMetrics.OUTPUT), k -> new double[3])[2] += v;
                case VigilMetrics.WEBHOOK_DELIVERIES -> webhooks.merge(label(parts, VigilMetrics.OUTCOME), v, Double::sum);
                default -> { }
            }
        });
        if (es.isEmpty() && webhooks.isEmpty()) {
            out.println("Outputs      no output metrics yet");
        }
        es.forEach((output, r) -> out.println("Elasticsearch " + output + ": " + (long) r[0] + " retried, " + (long) r[1]
                + " refused (dead letters), " + (long) r[2] + " pending" + (r[1] > 0 ? "  ! failing documents" : "")));
        if (!webhooks.isEmpty()) {
            StringBuilder line = new StringBuilder("Webhooks     ");
            webhooks.forEach((outcome, n) -> line.append(outcome).append(' ').append((long) n.doubleValue()).append(", "));
            line.setLength(line.length() - 2);
            if (webhooks.entrySet().stream().anyMatch(e -> e.getKey().contains("dead") && e.getValue() > 0)) {
                line.append("  ! dead-lettered deliveries");
            }
            out.println(line);
        }
    }

    static boolean wanted(String id) {
        if (id.endsWith("." + PENDING_RECORDS)) {
            return true;
        }
        if (!id.contains("." + VigilMetrics.GROUP + ".") && !id.startsWith(VigilMetrics.GROUP + ".")) {
            return false;
        }
        return id.endsWith("." + VigilMetrics.ES_RETRIES) || id.endsWith("." + VigilMetrics.ES_REFUSALS)
                || id.endsWith("." + VigilMetrics.ES_PENDING) || id.endsWith("." + VigilMetrics.WEBHOOK_DELIVERIES);
    }

    /** The value after a key/value group's key in a metric id ({@code ...vigil.output.alerts.x}), or "all". */
    static String label(String[] parts, String key) {
        for (int i = 0; i < parts.length - 2; i++) {
            if (parts[i].equals(key)) {
                return parts[i + 1];
            }
        }
        return "all";
    }

    private static double sum(Map<String, Double> values, java.util.function.Predicate<String> ids) {
        return values.entrySet().stream().filter(e -> ids.test(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
