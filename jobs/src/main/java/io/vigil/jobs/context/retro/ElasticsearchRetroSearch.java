package io.vigil.jobs.context.retro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.context.intel.Indicator;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hunts the events Vigil indexed ({@code vigil-events-*}) for indicators: one {@code _msearch}
 * request per batch, one search per indicator (so each is bounded on its own), sorted by time,
 * earliest first. Each hit is read back as the event it was ({@link EcsJson#read}, with the origin
 * the document records, so the alert has the id a live match would give) and confirmed by
 * {@link IndicatorMatch}.
 */
public final class ElasticsearchRetroSearch implements RetroSearch {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchRetroSearch.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Origin kind of an event whose document records none (written by something else than Vigil). */
    static final String STORE_ORIGIN = "elasticsearch";

    private final RestClient client;
    private final String indices;

    /** Searches {@code vigil-events-*} through {@code client}, which this search closes. */
    public ElasticsearchRetroSearch(RestClient client) {
        this(client, IndexTemplates.EVENTS + "-*");
    }

    ElasticsearchRetroSearch(RestClient client, String indices) {
        this.client = client;
        this.indices = indices;
    }

    /** A factory for the job: the connection travels (it names secrets' variables, never secrets), the client is made on the task. */
    public static Factory factory(ElasticsearchConnection connection) {
        return () -> new ElasticsearchRetroSearch(connection.restClient(System::getenv));
    }

    @Override
    public Result hunt(List<Indicator> indicators, Instant from, Instant to, int maxHitsPerIndicator)
            throws IOException {
        if (indicators.isEmpty()) {
            return new Result(List.of(), 0);
        }
        List<Indicator> searched = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ObjectNode header = JSON.createObjectNode();
        header.put("index", indices);
        header.put("ignore_unavailable", true);
        header.put("allow_no_indices", true);
        byte[] headerLine = JSON.writeValueAsBytes(header);
        for (Indicator indicator : indicators) {
            Instant start = indicator.validFrom() != null && indicator.validFrom().isAfter(from) ? indicator.validFrom() : from;
            Instant end = indicator.validUntil() != null && indicator.validUntil().isBefore(to) ? indicator.validUntil() : to;
            if (!start.isBefore(end) && !start.equals(end)) {
                continue; // not valid at any time of the window
            }
            searched.add(indicator);
            body.write(headerLine);
            body.write('\n');
            body.write(JSON.writeValueAsBytes(search(indicator, start, end, maxHitsPerIndicator + 1)));
            body.write('\n');
        }
        if (searched.isEmpty()) {
            return new Result(List.of(), 0);
        }
        Request request = new Request("POST", "/_msearch");
        request.setEntity(new ByteArrayEntity(body.toByteArray(), ContentType.create("application/x-ndjson")));
        JsonNode answer;
        try {
            Response response = client.performRequest(request);
            try (InputStream in = response.getEntity().getContent()) {
                answer = JSON.readTree(in);
            }
        } catch (IOException e) {
            throw new IOException("retro-hunt search of " + indices + " failed: " + e.getMessage(), e);
        }
        JsonNode responses = answer.path("responses");
        if (!responses.isArray() || responses.size() != searched.size()) {
            throw new IOException("retro-hunt search of " + indices + ": expected " + searched.size()
                    + " responses, got " + responses.size());
        }
        List<RetroHit> hits = new ArrayList<>();
        int cut = 0;
        for (int i = 0; i < searched.size(); i++) {
            JsonNode r = responses.get(i);
            if (r.has("error")) {
                throw new IOException("retro-hunt search of " + indices + " failed: "
                        + r.path("error").path("reason").asText(r.path("error").toString()));
            }
            Indicator indicator = searched.get(i);
            int read = 0;
            for (JsonNode hit : r.path("hits").path("hits")) {
                if (read == maxHitsPerIndicator) {
                    cut++;
                    break;
                }
                read++;
                RetroHit h = hit(indicator, hit);
                if (h != null) {
                    hits.add(h);
                }
            }
        }
        return new Result(hits, cut);
    }

    /** The search of one indicator: any of its fields, in its window, earliest first. */
    static ObjectNode search(Indicator indicator, Instant from, Instant to, int size) {
        ObjectNode s = JSON.createObjectNode();
        s.put("size", size);
        s.put("track_total_hits", false);
        ObjectNode sort = s.putArray("sort").addObject().putObject(EcsJson.TIMESTAMP);
        sort.put("order", "asc");
        sort.put("unmapped_type", "date");
        ObjectNode bool = s.putObject("query").putObject("bool");
        ObjectNode range = bool.putArray("filter").addObject().putObject("range").putObject(EcsJson.TIMESTAMP);
        range.put("gte", from.toString());
        range.put("lte", to.toString());
        ArrayNode should = bool.putArray("should");
        bool.put("minimum_should_match", 1);
        for (String field : IndicatorMatch.fields(indicator.type())) {
            switch (indicator.type()) {
                case DOMAIN_NAME -> {
                    String d = indicator.value().toLowerCase(Locale.ROOT);
                    term(should, field, d, true);
                    // a subdomain: the value is data of the query, never a pattern of the attacker's (wildcards escaped)
                    ObjectNode w = should.addObject().putObject("wildcard").putObject(field);
                    w.put("value", "*." + escapeWildcard(d));
                    w.put("case_insensitive", true);
                }
                case MD5, SHA1, SHA256 -> term(should, field, indicator.value(), true);
                default -> term(should, field, indicator.value(), false);
            }
        }
        return s;
    }

    private static void term(ArrayNode should, String field, String value, boolean caseInsensitive) {
        ObjectNode t = should.addObject().putObject("term").putObject(field);
        t.put("value", value);
        if (caseInsensitive) {
            t.put("case_insensitive", true);
        }
    }

    static String escapeWildcard(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static RetroHit hit(Indicator indicator, JsonNode hit) {
        JsonNode source = hit.path("_source");
        SecurityEvent event;
        try {
            event = EcsJson.read(source, origin(source, hit));
        } catch (IllegalArgumentException e) {
            LOG.warn("retro-hunt: document {} of {} is not an event Vigil can read: {}", hit.path("_id").asText(),
                    hit.path("_index").asText(), e.getMessage());
            return null;
        }
        String[] where = IndicatorMatch.find(indicator, event);
        if (where == null) {
            return null; // the store matched what the event's own fields do not carry (another analyzer, a mapping)
        }
        return new RetroHit(indicator, where[0], where[1], event);
    }

    /** The origin the document records under {@code vigil.origin}; the document's own place when it records none. */
    static Origin origin(JsonNode source, JsonNode hit) {
        JsonNode o = source.path("vigil").path("origin");
        if (o.isMissingNode()) {
            o = source.path(EcsJson.ORIGIN);
        }
        if (o.path("kind").isTextual() && o.path("source").isTextual() && o.path("offset").canConvertToLong()) {
            JsonNode p = o.path("partition");
            return new Origin(o.path("kind").asText(), o.path("source").asText(),
                    p.canConvertToInt() ? p.asInt() : null, o.path("offset").asLong());
        }
        return new Origin(STORE_ORIGIN, hit.path("_index").asText() + "/" + hit.path("_id").asText(), null, 0);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing the retro-hunt client: {}", e.getMessage());
        }
    }
}
