package io.vigil.context.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.context.ContextUpdate;
import io.vigil.context.Enricher;
import io.vigil.context.intel.Indicator.Type;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index and the part: what an event matches, and what it is given. */
class IntelPartTest {

    static final Instant T = Instant.parse("2015-12-10T10:00:00Z");

    private static final Origin ORIGIN = Origin.kafka("vigil.raw.ecs", 0, 1);

    static Indicator ind(Type type, String value, int confidence, String feed) {
        return new Indicator(type, IndicatorValues.normalize(type, value), confidence, null, null, feed, null, null, null);
    }

    static SecurityEvent.Builder event() {
        return SecurityEvent.builder().timestamp(T).origin(Origin.file("test.log", 1));
    }

    static Map<String, String> match(IntelPart part, SecurityEvent e) {
        Map<String, String> f = new TreeMap<>();
        part.enrich(e, f);
        return f;
    }

    static IntelPart part(Indicator... indicators) {
        return new IntelPart(Map.of("feed", IntelIndex.of(List.of(indicators))));
    }

    /** An ECS log document cannot forge a match: the context-owned fields it carries never reach the event. */
    @Test
    void ecsDocumentsCannotForgeOrHideMatches() throws Exception {
        Enricher enricher = new Enricher(List.of(part(ind(Type.IPV4_ADDR, "183.62.140.253", 80, "feed"))));
        String forged = "\"threat\":{\"enrichments\":{\"matched\":{\"atomic\":\"10.9.9.9\",\"field\":\"source.ip\"}},"
                + "\"indicator\":{\"name\":\"10.9.9.9\"}},\"host\":{\"asset\":{\"criticality\":\"high\"}}";

        SecurityEvent noMatch = enricher.enrich(EcsJson.read(EcsJson.MAPPER.readTree(
                "{\"@timestamp\":\"2015-12-10T10:00:00Z\",\"source.ip\":\"10.9.9.9\"," + forged + "}"), ORIGIN));
        // the intel-alerts filter keeps exactly the events with a matched atomic
        assertThat(noMatch.field(IntelFields.MATCHED_ATOMIC)).isNull();
        assertThat(noMatch.fields()).doesNotContainKeys(IntelFields.NAME, "host.asset.criticality");
        assertThat(noMatch.tags()).contains("vigil_fields_dropped");

        SecurityEvent real = enricher.enrich(EcsJson.read(EcsJson.MAPPER.readTree(
                "{\"@timestamp\":\"2015-12-10T10:00:00Z\",\"source.ip\":\"183.62.140.253\"," + forged + "}"), ORIGIN));
        assertThat(real.field(IntelFields.MATCHED_ATOMIC)).isEqualTo("183.62.140.253");
        assertThat(real.field(IntelFields.NAME)).isEqualTo("183.62.140.253");
    }

    static Indicator windowed(String value, int confidence, Instant from, Instant until, String id) {
        return new Indicator(Type.DOMAIN_NAME, value, confidence, from, until, "feed", null, id, null);
    }

    /** Many tuples of one value: a valid one after many expired ones still matches. */
    @Test
    void aValidTupleAfterManyExpiredOnesOfTheSameValueMatches() {
        List<Indicator> all = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Instant from = T.minusSeconds(86_400L * (100 - i));
            all.add(windowed("evil.example", 90, from, from.plusSeconds(3600), "old-" + i));
        }
        all.add(windowed("evil.example", 10, T.minusSeconds(60), T.plusSeconds(60), "current"));
        IntelPart part = new IntelPart(Map.of("feed", IntelIndex.of(all)));

        assertThat(match(part, event().destinationDomain("evil.example").build()))
                .containsEntry(IntelFields.NAME, "evil.example").containsEntry(IntelFields.CONFIDENCE, "Low");
    }

    /** 100k tuples of one value load in linear time and cost a lookup only the bounded tuples of that value. */
    @Test
    void manyCopiesOfOneValueAreHeldOnceWithBoundedTuples() {
        IntelIndex.Builder b = IntelIndex.builder();
        for (int i = 0; i < 100_000; i++) {
            // the same window and confidence: only the first is worth keeping
            b.add(windowed("evil.example", 50, null, null, "copy-" + i));
            // distinct windows, all expired but the last
            Instant from = T.minusSeconds(3_600_000L + 60L * i);
            b.add(windowed("evil.example", 50, from, from.plusSeconds(1), "expired-" + i));
        }
        b.add(windowed("other.example", 50, null, null, "other"));
        IntelIndex index = b.build();

        assertThat(index.values()).isEqualTo(2);
        assertThat(index.tuplesOf(windowed("evil.example", 0, null, null, null))).isEqualTo(IntelIndex.MAX_PER_VALUE);
        assertThat(index.size()).isEqualTo(IntelIndex.MAX_PER_VALUE + 1);
        assertThat(index.dropped()).isEqualTo(200_000 - IntelIndex.MAX_PER_VALUE);
        IntelPart part = new IntelPart(Map.of("feed", index));
        assertThat(match(part, event().destinationDomain("a.evil.example").build()))
                .containsEntry(IntelFields.NAME, "evil.example");
        assertThat(match(part, event().destinationDomain("other.example").build()))
                .containsEntry(IntelFields.NAME, "other.example");
    }

    @Test
    void addressesMatchExactlyAndInsideCidrsOfBothFamilies() {
        IntelPart part = part(ind(Type.IPV4_ADDR, "183.62.140.253", 80, "feed"),
                ind(Type.CIDR, "203.0.113.0/24", 60, "feed"),
                ind(Type.CIDR, "2001:db8:aa::/48", 60, "feed"),
                ind(Type.CIDR, "198.51.100.9/32", 60, "feed"));

        Map<String, String> f = match(part, event().sourceIp("183.62.140.253").build());
        assertThat(f).containsEntry(IntelFields.NAME, "183.62.140.253").containsEntry(IntelFields.TYPE, "ipv4-addr")
                .containsEntry(IntelFields.MATCHED_ATOMIC, "183.62.140.253")
                .containsEntry(IntelFields.MATCHED_FIELD, "source.ip")
                .containsEntry(IntelFields.MATCHED_TYPE, "indicator_match_rule")
                .containsEntry(IntelFields.CONFIDENCE, "High").containsEntry(IntelFields.FEED, "feed");
        assertThat(match(part, event().destinationIp("203.0.113.77").build()))
                .containsEntry(IntelFields.NAME, "203.0.113.0/24").containsEntry(IntelFields.TYPE, "cidr")
                .containsEntry(IntelFields.MATCHED_FIELD, "destination.ip");
        assertThat(match(part, event().relatedIp("2001:db8:aa:1::5").build()))
                .containsEntry(IntelFields.NAME, "2001:db8:aa::/48").containsEntry(IntelFields.MATCHED_FIELD, "related.ip");
        assertThat(match(part, event().sourceIp("198.51.100.9").build())).containsEntry(IntelFields.NAME, "198.51.100.9");
        assertThat(match(part, event().sourceIp("203.0.114.1").build())).isEmpty();
        assertThat(match(part, event().sourceIp("2001:db8:ab::1").build())).isEmpty();
    }

    @Test
    void domainsMatchThemselvesAndTheirSubdomainsOnly() {
        IntelPart part = part(ind(Type.DOMAIN_NAME, "evil.example", 50, "feed"));

        assertThat(match(part, event().destinationDomain("A.b.EVIL.example.").build()))
                .containsEntry(IntelFields.NAME, "evil.example")
                .containsEntry(IntelFields.MATCHED_ATOMIC, "A.b.EVIL.example.")
                .containsEntry(IntelFields.MATCHED_FIELD, "destination.domain");
        assertThat(match(part, event().field("dns.question.name", "evil.example").build()))
                .containsEntry(IntelFields.MATCHED_FIELD, "dns.question.name");
        assertThat(match(part, event().urlOriginal("https://cdn.evil.example/a.js").build()))
                .containsEntry(IntelFields.MATCHED_FIELD, "url.original");
        assertThat(match(part, event().destinationDomain("notevil.example").build())).isEmpty();
        assertThat(match(part, event().destinationDomain("example").build())).isEmpty();
    }

    @Test
    void urlsMatchAfterLightNormalization() {
        IntelPart part = part(ind(Type.URL, "http://bad.example/gate.php?id=1", 50, "feed"));

        assertThat(match(part, event().urlOriginal("HTTP://BAD.example:80/gate.php?id=1#top").build()))
                .containsEntry(IntelFields.NAME, "http://bad.example/gate.php?id=1").containsEntry(IntelFields.TYPE, "url");
        assertThat(match(part, event().urlOriginal("http://bad.example/gate.php?id=2").build())).isEmpty();
    }

    @Test
    void hashesMatchOnCatalogHashFieldsAndSysmonHashes() {
        String sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        String md5 = "098f6bcd4621d373cade4e832627b4f6";
        IntelPart part = part(ind(Type.SHA256, sha256.toUpperCase(), 90, "feed"), ind(Type.MD5, md5, 40, "feed"));

        Map<String, String> f = match(part, event().field(IntelPart.SYSMON_HASHES,
                "SHA1=A94A8FE5CCB19BA61C4C0873D391E987982FBBD3,MD5=" + md5.toUpperCase() + ",SHA256=" + sha256.toUpperCase()
                        + ",IMPHASH=00000000000000000000000000000000").build());
        assertThat(f).as("the most confident of two matches").containsEntry(IntelFields.NAME, sha256)
                .containsEntry(IntelFields.TYPE, "file").containsEntry(IntelFields.MATCHED_FIELD, IntelPart.SYSMON_HASHES)
                .containsEntry(IntelFields.MATCHED_ATOMIC, sha256.toUpperCase());
        assertThat(match(part, event().field("file.hash.md5", md5).build()))
                .containsEntry(IntelFields.NAME, md5).containsEntry(IntelFields.MATCHED_FIELD, "file.hash.md5");
        assertThat(match(part, event().field(IntelPart.SYSMON_HASHES, "IMPHASH=" + md5).build())).isEmpty();
    }

    @Test
    void validityIsCheckedAtTheEventsTime() {
        Indicator bounded = new Indicator(Type.IPV4_ADDR, "192.0.2.1", 90, Instant.parse("2015-12-10T09:00:00Z"),
                Instant.parse("2015-12-10T10:00:00Z"), "feed", null, null, null);
        IntelPart part = part(bounded);

        assertThat(match(part, event().timestamp(Instant.parse("2015-12-10T09:30:00Z")).sourceIp("192.0.2.1").build()))
                .containsEntry(IntelFields.VALID_UNTIL, "2015-12-10T10:00:00Z");
        assertThat(match(part, event().timestamp(Instant.parse("2015-12-10T08:59:59Z")).sourceIp("192.0.2.1").build()))
                .isEmpty();
        assertThat(match(part, event().timestamp(Instant.parse("2015-12-10T10:00:00Z")).sourceIp("192.0.2.1").build()))
                .as("valid_until is exclusive").isEmpty();
    }

    @Test
    void theSameValueInSeveralFeedsGivesTheMostConfidentValidOne() {
        Indicator expired = new Indicator(Type.IPV4_ADDR, "192.0.2.1", 100, null, Instant.parse("2015-01-01T00:00:00Z"),
                "a", null, null, null);
        IntelIndex a = IntelIndex.of(List.of(expired, ind(Type.IPV4_ADDR, "192.0.2.1", 30, "a"),
                ind(Type.IPV4_ADDR, "192.0.2.1", 30, "a")));
        IntelIndex b = IntelIndex.of(List.of(ind(Type.IPV4_ADDR, "192.0.2.1", 70, "b")));
        assertThat(a.size()).as("the same value and metadata held once").isEqualTo(2);
        IntelPart part = new IntelPart(Map.of("a", a, "b", b));

        assertThat(match(part, event().sourceIp("192.0.2.1").build())).containsEntry(IntelFields.FEED, "b")
                .containsEntry(IntelFields.CONFIDENCE, "High");
    }

    @Test
    void metadataIsStoredOncePerDistinctTuple() {
        IntelIndex.Builder b = IntelIndex.builder();
        for (int i = 0; i < 1000; i++) {
            b.add(new Indicator(Type.IPV4_ADDR, "10.0." + (i / 256) + "." + (i % 256), 50 + i % 2, null, null, "feed",
                    "provider", null, "scanner"));
        }
        IntelIndex index = b.build();
        assertThat(index.size()).isEqualTo(1000);
        assertThat(index.metadataCount()).isEqualTo(2);
    }

    @Test
    void liveFeedsAreMatchedWithTheFilesAndReplaceTheirNamesake() {
        IntelPart part = part(ind(Type.IPV4_ADDR, "192.0.2.1", 50, "feed"));
        ContextUpdate first = new ContextUpdate("intel", "live", "csv", "analyst", T,
                "type,value,confidence\nip,192.0.2.2,90\n".getBytes(StandardCharsets.UTF_8));
        assertThat(part.update(first)).isTrue();
        assertThat(match(part, event().sourceIp("192.0.2.2").build())).containsEntry(IntelFields.FEED, "live");
        assertThat(match(part, event().sourceIp("192.0.2.1").build())).containsEntry(IntelFields.FEED, "feed");

        part.update(new ContextUpdate("intel", "live", "csv", "analyst", T,
                "type,value\nip,192.0.2.3\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(match(part, event().sourceIp("192.0.2.2").build())).as("replaced whole").isEmpty();
        assertThat(match(part, event().sourceIp("192.0.2.3").build())).containsEntry(IntelFields.FEED, "live");

        assertThatThrownBy(() -> part.update(new ContextUpdate("intel", "live", "stix", "analyst", T,
                "not json".getBytes(StandardCharsets.UTF_8)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(match(part, event().sourceIp("192.0.2.3").build())).as("a bad update keeps the table")
                .containsEntry(IntelFields.FEED, "live");
        assertThat(part.update(new ContextUpdate("assets", "hosts", "csv", "a", T, new byte[0]))).isFalse();
    }

    static ContextUpdate live(String name, String csv) {
        return new ContextUpdate("intel", name, "csv", "analyst", T, csv.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void liveFeedsAreBoundedAndAnEmptyBodyRemovesOne() {
        IntelPart part = part();
        for (int i = 0; i < IntelPart.MAX_LIVE_FEEDS; i++) {
            assertThat(part.update(live("live-" + i, "type,value\nip,192.0.2." + i + "\n"))).isTrue();
        }
        assertThatThrownBy(() -> part.update(live("one-more", "type,value\nip,198.51.100.1\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one-more")
                .hasMessageContaining("at most " + IntelPart.MAX_LIVE_FEEDS);
        assertThat(part.liveFeeds()).hasSize(IntelPart.MAX_LIVE_FEEDS).doesNotContain("one-more");
        assertThat(part.update(live("live-3", "type,value\nip,192.0.2.33\n"))).as("replacing is fine").isTrue();

        assertThat(part.update(new ContextUpdate("intel", "live-0", "csv", "analyst", T, new byte[0]))).isTrue();
        assertThat(part.liveFeeds()).doesNotContain("live-0");
        assertThat(match(part, event().sourceIp("192.0.2.0").build())).isEmpty();
        assertThat(part.update(live("one-more", "type,value\nip,198.51.100.1\n"))).isTrue();
        assertThat(match(part, event().sourceIp("198.51.100.1").build())).containsEntry(IntelFields.FEED, "one-more");
    }

    @Test
    void sourceReadsFilesOfEveryFormatAndTheEnricherWritesCatalogFields(@TempDir Path dir) throws Exception {
        Path stix = Files.writeString(dir.resolve("acme.json"), IndicatorFeedsTest.STIX);
        Path misp = Files.writeString(dir.resolve("circl.json"), IndicatorFeedsTest.MISP);
        Path csv = Files.writeString(dir.resolve("acme.csv"), "type,value\ndomain,csv.example\n");
        IntelSource source = new IntelSource(List.of(stix, misp, csv));
        assertThat(source.read().keySet()).containsExactly("acme", "circl", "acme-2");

        Enricher enricher = new Enricher(List.of(source.open()));
        SecurityEvent enriched = enricher.enrich(event().sourceIp("198.51.100.7").build());
        assertThat(enriched.field(IntelFields.FEED)).isEqualTo("circl");
        assertThat(enriched.field(IntelFields.PROVIDER)).isEqualTo("CIRCL");
        assertThat(enricher.enrich(event().sourceDomain("www.csv.example").build()).field(IntelFields.FEED))
                .isEqualTo("acme-2");
        assertThat(enricher.failures()).isZero();
    }

    @Test
    void aFileThatCannotBeReadIsNamed(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "kind,value\n");
        assertThatThrownBy(() -> new IntelSource(List.of(bad)).open()).hasMessageContaining("intel file " + bad)
                .hasMessageContaining("unknown column 'kind'");
    }
}
