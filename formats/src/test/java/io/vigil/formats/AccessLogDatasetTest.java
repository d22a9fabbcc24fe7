package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The elastic/examples apache_logs file against its GROUND_TRUTH.md figures. */
class AccessLogDatasetTest {

    private static final String FILE = "elastic-examples-apache-access/apache_logs";
    private static final List<SecurityEvent> EVENTS = new ArrayList<>();
    private static final List<String> FAILURES = new ArrayList<>();

    @BeforeAll
    static void decodeAll() throws IOException {
        Path path = Datasets.file(FILE);
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        AccessLogDecoder decoder = new AccessLogDecoder(DecoderOptions.defaults());
        for (int i = 0; i < lines.size(); i++) {
            RawRecord record = RawRecord.of(lines.get(i).getBytes(StandardCharsets.UTF_8),
                    Origin.file(FILE, i + 1), Formats.ACCESS);
            DecodeResult r = decoder.decode(record);
            if (r.ok()) {
                EVENTS.addAll(r.events());
            } else {
                failed(i + 1, r.error());
            }
        }
    }

    private static void failed(int line, String error) {
        FAILURES.add(line + ": " + error);
    }

    private static <K> Map<K, Long> count(Function<SecurityEvent, K> key, Predicate<SecurityEvent> filter) {
        return EVENTS.stream().filter(filter).map(key).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()));
    }

    @Test
    void everyLineDecodes() {
        assertThat(FAILURES).isEmpty();
        assertThat(EVENTS).hasSize(10_000);
        assertThat(EVENTS).allSatisfy(e -> {
            assertThat(e.eventOriginal()).isNotEmpty();
            assertThat(e.sourceIp()).isNotNull();
            assertThat(e.eventDataset()).isEqualTo("apache.access");
        });
    }

    @Test
    void statusCodes() {
        assertThat(count(SecurityEvent::httpResponseStatusCode, e -> true)).containsExactlyInAnyOrderEntriesOf(Map.of(
                200, 9126L, 304, 445L, 404, 213L, 301, 164L, 206, 45L, 500, 3L, 403, 2L, 416, 2L));
        assertThat(EVENTS.stream().filter(e -> "failure".equals(e.eventOutcome()))).hasSize(213 + 3 + 2 + 2);
    }

    @Test
    void methods() {
        assertThat(count(SecurityEvent::httpRequestMethod, e -> true)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GET", 9952L, "HEAD", 42L, "POST", 5L, "OPTIONS", 1L));
    }

    @Test
    void dateRangeByDay() {
        Map<String, Long> days = count(e -> e.timestamp().toString().substring(0, 10), e -> true);
        assertThat(days).containsExactlyInAnyOrderEntriesOf(Map.of(
                "2015-05-17", 1632L, "2015-05-18", 2893L, "2015-05-19", 2896L, "2015-05-20", 2579L));
        // every timestamp was rewritten upstream to minute 05
        assertThat(EVENTS).allSatisfy(e -> assertThat(e.timestamp().toString()).matches(".{14}05:.*"));
    }

    @Test
    void topClientsAndNotFoundSources() {
        Map<String, Long> byIp = count(SecurityEvent::sourceIp, e -> true);
        assertThat(byIp).containsEntry("66.249.73.135", 482L).containsEntry("46.105.14.53", 364L)
                .containsEntry("130.237.218.86", 357L);
        Map<String, Long> notFound = count(SecurityEvent::sourceIp, e -> Integer.valueOf(404).equals(e.httpResponseStatusCode()));
        assertThat(notFound).containsEntry("208.91.156.11", 60L).containsEntry("144.76.95.39", 14L)
                .containsEntry("66.249.73.135", 8L).hasSize(90);
    }

    @Test
    void cmsProbesAllGot404() {
        Predicate<SecurityEvent> probe = e -> e.urlOriginal() != null
                && e.urlOriginal().toLowerCase().matches(".*(wp-login|wp-admin|/administrator|admin\\.php|phpmyadmin|xmlrpc\\.php).*");
        assertThat(count(SecurityEvent::httpResponseStatusCode, probe)).containsExactly(Map.entry(404, 45L));
    }

    @Test
    void truncatedUserAgentOnLine8899() {
        SecurityEvent e = EVENTS.get(8898);
        assertThat(e.origin().offset()).isEqualTo(8899);
        assertThat(e.sourceIp()).isEqualTo("46.118.127.106");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2015-05-20T12:05:17Z"));
        assertThat(e.userAgentOriginal()).isEqualTo("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html");
        assertThat(e.tags()).containsExactly("vigil_truncated_field");
        assertThat(EVENTS.stream().filter(x -> x.tags().contains("vigil_truncated_field"))).hasSize(1);
    }

    @Test
    void dashFields() {
        // user agent "-": 190 (GROUND_TRUTH, field 6 split on double quotes)
        assertThat(EVENTS.stream().filter(e -> e.userAgentOriginal() == null)).hasSize(190);
        // response size "-": 669 (awk '$10=="-"' apache_logs | wc -l)
        assertThat(EVENTS.stream().filter(e -> e.httpResponseBodyBytes() == null)).hasSize(669);
        assertThat(EVENTS.stream().filter(e -> e.userName() != null)).isEmpty();
    }

    @Test
    void scriptedClients() {
        Map<String, Long> tools = count(e -> e.userAgentOriginal().replaceAll("^(Wget|curl|python-requests)/.*", "$1"),
                e -> e.userAgentOriginal() != null && e.userAgentOriginal().matches("(?i).*(curl/|wget/|python-requests).*"));
        assertThat(tools).containsExactlyInAnyOrderEntriesOf(Map.of("Wget", 6L, "curl", 1L, "python-requests", 1L));
    }
}
