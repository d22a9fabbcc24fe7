package io.vigil.cli;

import io.vigil.connectors.webhook.DeadDelivery;
import io.vigil.connectors.webhook.DeliveryAttempt;
import io.vigil.connectors.webhook.WebhookDispatcher;
import io.vigil.connectors.webhook.WebhookRequest;
import io.vigil.connectors.webhook.WebhookTarget;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.webhook.WebhookFilter;
import io.vigil.jobs.webhook.WebhookRequests;
import io.vigil.jobs.webhook.WebhookRoute;
import io.vigil.model.Alert;
import io.vigil.model.Ids;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil webhooks}: the webhook endpoints of a configuration, and a signed test delivery to one. */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = "List the webhook endpoints of a configuration (webhooks.endpoints.<name>), and send one a "
                + "signed test alert to check its URL, secret and receiver.",
        subcommands = {WebhooksCommand.ListEndpoints.class, WebhooksCommand.Test.class})
public final class WebhooksCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "say what to do: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** The configuration file. */
    static final class Config {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
                description = "Configuration file (see deploy/vigil.yaml and `vigil config`).")
        Path file;

        List<WebhookRoute> routes() throws IOException {
            return VigilConfig.load(file).webhooks();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per endpoint: name, URL ($VARIABLE when it comes from url-env), format, what it "
                    + "is sent, its filters, key id, and whether its secret's variable is set here. Never prints a "
                    + "secret.")
    static final class ListEndpoints implements Callable<Integer> {
        @CommandLine.Mixin
        Config config = new Config();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<WebhookRoute> routes = config.routes();
            PrintWriter out = spec.commandLine().getOut();
            if (routes.isEmpty()) {
                out.println("no webhook endpoints in " + SafeText.escape(config.file.toString())
                        + " (webhooks.endpoints.<name>.url, see `vigil config`)");
                out.flush();
                return VigilCli.OK;
            }
            // what the configuration file says is printed escaped, widths counted on what is printed
            List<String> names = routes.stream().map(r -> SafeText.escape(r.name())).toList();
            int nameWidth = names.stream().mapToInt(String::length).max().orElse(0);
            List<String> urls = routes.stream().map(r -> SafeText.escape(url(r.target()))).toList();
            int urlWidth = urls.stream().mapToInt(String::length).max().orElse(0);
            for (int i = 0; i < routes.size(); i++) {
                WebhookRoute r = routes.get(i);
                WebhookFilter f = r.filter();
                WebhookTarget t = r.target();
                out.printf("%-" + nameWidth + "s  %-" + urlWidth + "s  format %s, sends %s, min-severity %s, rules %s, "
                                + "tags %s, key-id %s, secret: %s %s%n", names.get(i), urls.get(i), r.format().word(),
                        f.alerts() && f.incidents() ? "alerts+incidents" : f.alerts() ? "alerts" : "incidents",
                        f.minSeverity(), SafeText.escape(words(f.ruleIds())), SafeText.escape(words(f.tags())),
                        SafeText.escape(t.keyId()), SafeText.escape(t.secret().describe()), secretState(t));
            }
            out.flush();
            return VigilCli.OK;
        }

        private String url(WebhookTarget t) {
            return t.url() != null ? t.url() : "$" + t.urlEnv() + (set(t.urlEnv()) ? "" : " (NOT SET)");
        }

        /** Whether this process can read the signing secret: a variable is "set", a file "readable". */
        private static String secretState(WebhookTarget t) {
            boolean readable = t.secret().unavailable(System::getenv, "the signing secret") == null;
            return t.secretFile() == null ? (readable ? "set" : "NOT SET") : (readable ? "readable" : "NOT READABLE");
        }

        private boolean set(String variable) {
            String v = System.getenv(variable);
            return v != null && !v.isEmpty();
        }

        private static String words(Set<String> values) {
            return values.isEmpty() ? "all" : String.join(",", new TreeSet<>(values));
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Send endpoint NAME a fixed sample alert (rule brute-force-then-success, tagged 'test', id "
                    + "starting with vigil-webhook-test-) in its format, signed with its secret, and print each attempt. "
                    + "One attempt unless --retries. Exit 0 when the endpoint accepted it (2xx), 1 otherwise."})
    static final class Test implements Callable<Integer> {
        @CommandLine.Mixin
        Config config = new Config();

        @Parameters(paramLabel = "NAME", description = "The endpoint (as in webhooks.endpoints.<name>).")
        String name;

        @Option(names = "--retries",
                description = "Retry as configured (max-attempts, backoff, Retry-After) instead of one attempt.")
        boolean retries;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<WebhookRoute> routes = config.routes();
            WebhookRoute route = routes.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
            if (route == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no webhook endpoint '" + name + "' in "
                        + config.file + (routes.isEmpty() ? "; it configures none"
                        : "; endpoints: " + String.join(", ", routes.stream().map(WebhookRoute::name).toList())));
            }
            WebhookTarget target = retries ? route.target() : route.target().toBuilder().maxAttempts(1).build();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            WebhookTarget.Resolved resolved;
            try {
                resolved = target.resolve(System::getenv);
            } catch (IllegalStateException | IllegalArgumentException e) {
                err.println("vigil webhooks test: " + SafeText.escape(e.getMessage()));
                err.flush();
                return VigilCli.FAILURE;
            }
            Alert alert = sampleAlert();
            // the sample goes whatever the endpoint's filter: this checks the connection
            WebhookRequest request = WebhookRequests.request(alert, route);
            out.printf("Sending test alert %s (%s format) to %s, %s%n", alert.id(), route.format().word(),
                    SafeText.escape(target.toString()),
                    target.maxAttempts() == 1 ? "one attempt" : "up to " + target.maxAttempts() + " attempts");
            out.flush();
            List<DeliveryAttempt> attempts = new ArrayList<>();
            DeadDelivery[] dead = new DeadDelivery[1];
            WebhookDispatcher.Summary summary;
            try (WebhookDispatcher dispatcher = new WebhookDispatcher(resolved, Clock.systemUTC())) {
                summary = dispatcher.deliver(List.of(request).iterator(), a -> {
                    attempts.add(a);
                    out.println("  " + SafeText.escape(describe(a)));
                    out.flush();
                }, d -> dead[0] = d);
            }
            DeliveryAttempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
            String tries = attempts.size() == 1 ? "1 attempt" : attempts.size() + " attempts";
            if (summary.delivered() == 1 && last != null) {
                out.printf("Delivered: %s accepted the test alert (HTTP %d) after %s%n", SafeText.escape(route.name()),
                        last.statusCode(), tries);
                out.flush();
                return VigilCli.OK;
            }
            err.printf("vigil webhooks test: NOT delivered to %s after %s: %s%s%n", SafeText.escape(route.name()), tries,
                    SafeText.escape(last == null ? dead[0] == null ? "no attempt made" : dead[0].reason() : what(last)),
                    !retries && last != null && DeliveryAttempt.EXHAUSTED.equals(last.outcome())
                            ? " (a retryable failure: --retries tries " + route.target().maxAttempts() + " times)" : "");
            err.flush();
            return VigilCli.FAILURE;
        }
    }

    /** {@code attempt 1: HTTP 200, 12 ms, delivered}. */
    static String describe(DeliveryAttempt a) {
        String s = "attempt " + a.attempt() + ": " + what(a) + ", " + a.latencyMillis() + " ms, " + a.outcome();
        if (a.nextAttemptAt() != null) {
            long wait = Math.max(0, a.nextAttemptAt() - System.currentTimeMillis());
            s += String.format(" (next in %.1f s)", wait / 1000.0);
        }
        return s;
    }

    private static String what(DeliveryAttempt a) {
        return a.error() != null ? a.error() : "HTTP " + a.statusCode();
    }

    /** The id of every test alert starts with this. */
    static final String TEST_ID_PREFIX = "vigil-webhook-test-";

    /**
     * A fixed, realistic alert, obviously a test: five failed SSH logins for {@code deploy} from
     * 203.0.113.45 (TEST-NET-3) on {@code bastion}, then a successful one, as the
     * {@code brute-force-then-success} rule reports it; tagged {@code test}, id starting with
     * {@value #TEST_ID_PREFIX}. The same every time, so receivers can recognize (and dedupe) it.
     */
    static Alert sampleAlert() {
        String ruleId = "brute-force-then-success";
        String groupKey = "203.0.113.45";
        Instant first = Instant.parse("2024-11-20T09:10:07Z");
        Instant success = Instant.parse("2024-11-20T09:10:36Z");
        String source = "/var/log/auth.log";
        List<Origin> origins = new ArrayList<>();
        List<KeyEvent> keyEvents = new ArrayList<>();
        long[] lines = {13, 14, 15, 16, 17, 18};
        long[] offsets = {0, 4, 8, 12, 26, 29};
        for (int i = 0; i < lines.length; i++) {
            Origin o = Origin.file(source, lines[i]);
            origins.add(o);
            if (i < 4 || i == lines.length - 1) {
                keyEvents.add(new KeyEvent(first.plusSeconds(offsets[i]), o, null));
            }
        }
        String id = TEST_ID_PREFIX + Ids.of("vigil-webhook-test", ruleId, groupKey, first.toString());
        return new Alert(id, success, ruleId, 1, "Successful logon after brute force (TEST)",
                "Test alert from `vigil webhooks test`, not a detection: nothing happened. It looks like a real "
                        + "alert of this rule: a successful logon from a source address that failed to log on at "
                        + "least five times within the previous 10 minutes.",
                "high", 73, List.of("TA0006", "TA0001"), List.of("T1110", "T1078"),
                List.of("brute-force", "authentication", "ssh", "test"), "source.ip,user.name", groupKey,
                Map.of("source.ip", groupKey, "user.name", "deploy", "host.name", "bastion"), 6, 0, first, success,
                origins, origins.size(), keyEvents);
    }
}
