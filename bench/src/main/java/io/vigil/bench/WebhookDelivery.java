package io.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import io.vigil.connectors.webhook.DeliveryAttempt;
import io.vigil.connectors.webhook.WebhookDispatcher;
import io.vigil.connectors.webhook.WebhookRequest;
import io.vigil.connectors.webhook.WebhookTarget;
import io.vigil.jobs.webhook.WebhookFormat;
import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Webhook delivery throughput and latency on this machine: N signed generic-JSON alerts to a
 * loopback HTTP server answering 200 at once, through the delivery engine the job uses (no rate
 * limit), for a given number of requests in flight. Median of the runs, with min and max.
 *
 * <pre>java -cp bench/target/vigil-bench.jar io.vigil.bench.WebhookDelivery 20000 4 3</pre>
 * (requests, max in flight, runs)
 */
public final class WebhookDelivery {

    private WebhookDelivery() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = BenchJson.mutable(argv);
        java.nio.file.Path json = BenchJson.jsonPath(args);
        int n = args.size() > 0 ? Integer.parseInt(args.get(0)) : 20_000;
        int inFlight = args.size() > 1 ? Integer.parseInt(args.get(1)) : 4;
        int runs = args.size() > 2 ? Integer.parseInt(args.get(2)) : 3;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        WebhookTarget target = WebhookTarget.builder().name("bench")
                .url("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks").secretEnv("BENCH_SECRET")
                .ratePerSecond(0).maxInFlight(inFlight).maxPending(n).build();
        WebhookTarget.Resolved resolved = target.resolve(Map.of("BENCH_SECRET", "bench-secret")::get);
        double[] rates = new double[runs];
        long[] p50 = new long[runs];
        long[] p99 = new long[runs];
        for (int run = 0; run < runs; run++) {
            List<WebhookRequest> requests = requests(n, run);
            List<Long> latencies = new ArrayList<>(n);
            long start = System.nanoTime();
            try (WebhookDispatcher d = new WebhookDispatcher(resolved, Clock.systemUTC())) {
                WebhookDispatcher.Summary s = d.deliver(requests.iterator(), a -> {
                    if (DeliveryAttempt.DELIVERED.equals(a.outcome())) {
                        latencies.add(a.latencyMillis());
                    }
                }, x -> { });
                if (s.delivered() != n) {
                    throw new IllegalStateException("delivered " + s.delivered() + " of " + n);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            rates[run] = n / seconds;
            latencies.sort(null);
            p50[run] = latencies.get(latencies.size() / 2);
            p99[run] = latencies.get((int) (latencies.size() * 0.99));
            System.out.printf("run %d: %d deliveries in %.2f s: %.0f/s, latency p50 %d ms, p99 %d ms%n",
                    run + 1, n, seconds, rates[run], p50[run], p99[run]);
        }
        server.stop(0);
        com.fasterxml.jackson.databind.node.ObjectNode result = BenchJson.object();
        result.set("webhook_deliveries_per_s", BenchJson.stats(rates));
        result.put("max_in_flight", inFlight);
        result.put("deliveries", n);
        result.set("machine", BenchJson.machine());
        BenchJson.write(json, result);
        Arrays.sort(rates);
        System.out.printf("webhook deliveries/s (max-in-flight %d, %d runs): median %.0f, min %.0f, max %.0f; "
                + "%d cores, Java %s%n", inFlight, runs, rates[runs / 2], rates[0], rates[runs - 1],
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.exit(0);
    }

    private static List<WebhookRequest> requests(int n, int run) {
        List<WebhookRequest> out = new ArrayList<>(n);
        Instant t = Instant.parse("2024-03-09T06:40:12Z");
        Origin o = Origin.kafka("vigil.raw.syslog", 0, 42);
        for (int i = 0; i < n; i++) {
            String id = "bench-" + run + "-" + i;
            Alert a = new Alert(id, t, "ssh-brute-force", 1, "SSH brute force", "Many failed SSH logins", "medium", 47,
                    List.of("TA0006"), List.of("T1110.001"), List.of("credential-access"), "source.ip", "203.0.113.9",
                    Map.of("source.ip", "203.0.113.9", "user.name", "root", "host.name", "bastion"), 6, 0,
                    t.minusSeconds(25), t, List.of(o), 6, List.of(new KeyEvent(t.minusSeconds(25), o, null)));
            out.add(new WebhookRequest("bench", id, "alert", id, WebhookFormat.CONTENT_TYPE,
                    WebhookFormat.GENERIC.render(a), t.toEpochMilli() + i));
        }
        return out;
    }
}
