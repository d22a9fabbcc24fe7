package io.vigil.cli;

import io.vigil.context.intel.Indicator;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.context.retro.ElasticsearchRetroSearch;
import io.vigil.jobs.context.retro.RetroHit;
import io.vigil.jobs.context.retro.RetroHuntFunction;
import io.vigil.jobs.context.retro.RetroSearch;
import io.vigil.jobs.wiring.Documents;
import io.vigil.jobs.wiring.ElasticsearchAccess;
import io.vigil.model.Alert;
import io.vigil.model.IpLiteral;
import io.vigil.model.SecurityEvent;
import io.vigil.model.text.SafeText;
import io.vigil.rules.RuleMeta;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil intel hunt VALUE}: the retro-hunt of one value, on demand. */
@Command(name = "hunt", mixinStandardHelpOptions = true,
        description = {"Search the indexed events (vigil-events-*: elasticsearch.write-events) for an address, network "
                + "(CIDR), domain (and its subdomains), URL or file hash, as the job's retro-hunt does for a new "
                + "indicator. Prints each matching event: time, field and value, origin.",
            "With --write, indexes a threat-intel-match alert per event into vigil-alerts-* marked "
                + "vigil.alert.retro: true, with the id a live match of that event has (a second hunt rewrites the "
                + "same alerts)."},
        footer = {"", "Examples:",
            "  vigil intel hunt 203.0.113.7 --config vigil.yaml",
            "  vigil intel hunt evil.example --since 90d --config vigil.yaml --write",
            "  vigil intel hunt 44d88612fea8a8f36de82e1278abb02f --es http://localhost:9200"})
final class IntelHuntCommand implements Callable<Integer> {

    static final String FEED = "vigil-intel-hunt";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VALUE", description = "An IPv4 or IPv6 address, a CIDR network, a domain "
            + "name, a URL (with its scheme), or an MD5, SHA-1 or SHA-256 hash.")
    String value;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "30d",
            description = "How far back from --until to search (event time): 30d by default.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "End of the search (ISO-8601 with zone); now by "
            + "default.")
    String until;

    @Option(names = "--max-hits", paramLabel = "N", description = "Events printed (and written) at most, the "
            + "earliest; default: enrich.retro-hunt.max-hits (100).")
    Integer maxHits;

    @Option(names = "--confidence", paramLabel = "0-100", defaultValue = "50",
            description = "Confidence of the value as an indicator: the alerts' severity (70+ high, 30+ medium, "
                    + "else low); 50 by default.")
    int confidence;

    @Option(names = "--write", description = "Index a retro alert per matching event into vigil-alerts-*.")
    boolean write;

    @CommandLine.Mixin
    ElasticsearchOptions es = new ElasticsearchOptions();

    /** Where the Elasticsearch variables are read (tests give their own). */
    Function<String, String> getenv = System::getenv;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Indicator indicator;
        try {
            indicator = new Indicator(guess(value), normalize(value), confidence, null, null, FEED, null, null, null);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), SafeText.escape(e.getMessage()));
        }
        Duration back;
        Instant end;
        try {
            back = Duration.ofMillis(RuleMeta.parseDuration(since));
            end = until == null ? Instant.now() : until.endsWith("Z") ? Instant.parse(until)
                    : OffsetDateTime.parse(until).toInstant();
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--since/--until: "
                    + SafeText.escape(e.getMessage()));
        }
        int limit = maxHits != null ? maxHits : VigilOptions.ENRICH_RETRO_HUNT_MAX_HITS.defaultValue();
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-hits is at least 1");
        }
        ElasticsearchAccess access = es.access(getenv);
        Instant start = end.minus(back);
        RetroSearch.Result result;
        try (RetroSearch search = new ElasticsearchRetroSearch(access.restClient())) {
            result = search.hunt(List.of(indicator), start, end, limit);
        } catch (IOException e) {
            throw access.explain(e);
        }
        out.printf("%s %s in vigil-events-* from %s to %s: %d event(s)%s%n", indicator.type().ecs(),
                SafeText.escape(indicator.value()), start, end, result.hits().size(),
                result.indicatorsCut() > 0 ? " (more not shown: --max-hits " + limit + ")" : "");
        List<Alert> alerts = new ArrayList<>();
        for (RetroHit hit : result.hits()) {
            SecurityEvent e = hit.event();
            out.printf("  %s  %s=%s  %s%s%n", e.timestamp(), hit.field(), SafeText.escape(hit.atomic()),
                    SafeText.escape(e.origin().toString()),
                    e.hostName() == null ? "" : "  host " + SafeText.escape(e.hostName()));
            alerts.add(RetroHuntFunction.alert(hit));
        }
        if (write && !alerts.isEmpty()) {
            try (RestClient rest = access.restClient()) {
                int written = index(rest, alerts);
                out.printf("wrote %d retro alert(s) to vigil-alerts-*%n", written);
            }
        }
        out.flush();
        return VigilCli.OK;
    }

    /** Indexes {@code alerts} as the job's alert output does (same index, id and document); returns how many. */
    static int index(RestClient rest, List<Alert> alerts) throws IOException {
        Documents.Alerts docs = new Documents.Alerts();
        Map<String, Alert> byId = new LinkedHashMap<>();
        alerts.forEach(a -> byId.put(a.id(), a));
        StringBuilder bulk = new StringBuilder();
        for (Alert a : byId.values()) {
            bulk.append("{\"index\":{\"_index\":\"").append(docs.index(a)).append("\",\"_id\":\"").append(docs.id(a))
                    .append("\"}}\n").append(new String(docs.source(a), StandardCharsets.UTF_8)).append('\n');
        }
        Request r = new Request("POST", "/_bulk");
        r.addParameter("refresh", "wait_for");
        r.setEntity(new ByteArrayEntity(bulk.toString().getBytes(StandardCharsets.UTF_8),
                ContentType.create("application/x-ndjson")));
        var response = rest.performRequest(r);
        var answer = io.vigil.model.EcsJson.MAPPER.readTree(response.getEntity().getContent());
        if (answer.path("errors").asBoolean()) {
            for (var item : answer.path("items")) {
                var error = item.path("index").path("error");
                if (!error.isMissingNode()) {
                    throw new IOException("indexing a retro alert failed: " + error.path("reason").asText());
                }
            }
        }
        return byId.size();
    }

    /** What {@code v} is as an indicator; plain scanning, no pattern matching. */
    static Indicator.Type guess(String v) {
        String s = v.strip();
        if (s.isEmpty() || s.length() > 8192) {
            throw new IllegalArgumentException("VALUE is empty or longer than 8192 characters");
        }
        if (IpLiteral.isIpv4(s)) {
            return Indicator.Type.IPV4_ADDR;
        }
        if (IpLiteral.isIpv6(s)) {
            return Indicator.Type.IPV6_ADDR;
        }
        int slash = s.indexOf('/');
        if (slash > 0 && IpLiteral.isIp(s.substring(0, slash)) && isDigits(s.substring(slash + 1))) {
            int bits = Integer.parseInt(s.substring(slash + 1));
            if (bits > (IpLiteral.isIpv4(s.substring(0, slash)) ? 32 : 128)) {
                throw new IllegalArgumentException("a network prefix of /" + bits + " is too long: " + s);
            }
            return Indicator.Type.CIDR;
        }
        if (s.contains("://")) {
            return Indicator.Type.URL;
        }
        if (isHex(s)) {
            switch (s.length()) {
                case 32: return Indicator.Type.MD5;
                case 40: return Indicator.Type.SHA1;
                case 64: return Indicator.Type.SHA256;
                default: break;
            }
        }
        if (isDomain(s)) {
            return Indicator.Type.DOMAIN_NAME;
        }
        throw new IllegalArgumentException("VALUE is not an IP address, CIDR network, domain, URL (scheme://…) or "
                + "MD5/SHA-1/SHA-256 hash: " + s);
    }

    /** The value as an indicator holds it: domains and hashes in lower case, a domain without a trailing dot. */
    static String normalize(String v) {
        String s = v.strip();
        return switch (guess(s)) {
            case DOMAIN_NAME -> {
                String d = s.toLowerCase(Locale.ROOT);
                yield d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
            }
            case MD5, SHA1, SHA256 -> s.toLowerCase(Locale.ROOT);
            default -> s;
        };
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDomain(String s) {
        String d = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (d.length() > 253 || d.indexOf('.') < 0) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                if (++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return label > 0;
    }
}
