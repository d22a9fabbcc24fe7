package io.vigil.context.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.context.intel.Indicator.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IndicatorFeedsTest {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final String STIX = """
            {"type": "bundle", "id": "bundle--1", "objects": [
              {"type": "identity", "id": "identity--acme", "name": "ACME CERT", "identity_class": "organization"},
              {"type": "indicator", "spec_version": "2.1", "id": "indicator--a", "created_by_ref": "identity--acme",
               "name": "SSH scanner", "pattern_type": "stix", "confidence": 85,
               "valid_from": "2015-12-01T00:00:00Z", "valid_until": "2016-01-01T00:00:00Z",
               "pattern": "[ipv4-addr:value = '183.62.140.253' OR ipv4-addr:value = '203.0.113.0/24'] OR [ipv6-addr:value = '2001:DB8:0:0::1']"},
              {"type": "indicator", "id": "indicator--b", "pattern_type": "stix", "description": "C2 domain",
               "pattern": "[domain-name:value = 'Evil.Example.'] OR [url:value = 'HTTP://Evil.Example:80/gate.php?id=1#x']",
               "valid_from": "2015-01-01T00:00:00Z"},
              {"type": "indicator", "id": "indicator--c", "pattern_type": "stix", "valid_from": "2015-01-01T00:00:00Z",
               "pattern": "[file:hashes.'SHA-256' = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' OR file:hashes.MD5 = '0123456789abcdef0123456789ABCDEF' OR file:hashes.'SHA-1' = '0123456789012345678901234567890123456789']"},
              {"type": "indicator", "id": "indicator--d", "pattern_type": "stix", "valid_from": "2015-01-01T00:00:00Z",
               "pattern": "[ipv4-addr:value = '198.51.100.1' AND domain-name:value = 'x.example']"},
              {"type": "indicator", "id": "indicator--e", "pattern_type": "stix", "valid_from": "2015-01-01T00:00:00Z",
               "pattern": "[ipv4-addr:value = '198.51.100.2'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.3']"},
              {"type": "indicator", "id": "indicator--f", "pattern_type": "stix", "valid_from": "2015-01-01T00:00:00Z",
               "revoked": true, "pattern": "[ipv4-addr:value = '198.51.100.4']"},
              {"type": "indicator", "id": "indicator--g", "pattern_type": "sigma", "pattern": "title: x"},
              {"type": "indicator", "id": "indicator--h", "pattern_type": "stix", "valid_from": "2015-01-01T00:00:00Z",
               "pattern": "[ipv4-addr:value = '300.1.1.1' OR process:name = 'x.exe' OR ipv4-addr:value ISSUBSET '10.1.2.3/8']"},
              {"type": "malware", "id": "malware--1", "name": "x", "is_family": true}
            ]}""";

    @Test
    void stixBundleReadsOrComparisonsAndSkipsWhatNeedsSeveralObservations() throws IOException {
        FeedResult r = IndicatorFeeds.read("stix", utf8(STIX), "acme");

        assertThat(r.indicators()).extracting(Indicator::type, Indicator::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Type.IPV4_ADDR, "183.62.140.253"),
                org.assertj.core.groups.Tuple.tuple(Type.CIDR, "203.0.113.0/24"),
                org.assertj.core.groups.Tuple.tuple(Type.IPV6_ADDR, "2001:db8::1"),
                org.assertj.core.groups.Tuple.tuple(Type.DOMAIN_NAME, "evil.example"),
                org.assertj.core.groups.Tuple.tuple(Type.URL, "http://evil.example/gate.php?id=1"),
                org.assertj.core.groups.Tuple.tuple(Type.SHA256, "a".repeat(64)),
                org.assertj.core.groups.Tuple.tuple(Type.MD5, "0123456789abcdef0123456789abcdef"),
                org.assertj.core.groups.Tuple.tuple(Type.SHA1, "0123456789012345678901234567890123456789"),
                org.assertj.core.groups.Tuple.tuple(Type.CIDR, "10.0.0.0/8"));
        Indicator first = r.indicators().get(0);
        assertThat(first).isEqualTo(new Indicator(Type.IPV4_ADDR, "183.62.140.253", 85,
                Instant.parse("2015-12-01T00:00:00Z"), Instant.parse("2016-01-01T00:00:00Z"), "acme", "ACME CERT",
                "indicator--a", "SSH scanner"));
        assertThat(r.indicators().get(3).confidence()).as("no confidence: 50").isEqualTo(50);
        assertThat(r.indicators().get(3).description()).isEqualTo("C2 domain");
        // AND, FOLLOWEDBY, revoked, sigma pattern, malware object, process:name
        assertThat(r.skipped()).isEqualTo(6);
        assertThat(r.refused()).isEqualTo(1);
        assertThat(r.problems()).containsExactly("object 9 (indicator--h): not an IPv4 address: '300.1.1.1'");
    }

    @Test
    void stixPatternParserRefusesWhatIsNotOrOfEqualities() {
        assertThat(StixPattern.parse("[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS").unsupported()).contains("WITHIN");
        assertThat(StixPattern.parse("[ipv4-addr:value != '1.2.3.4']").unsupported()).contains("!=");
        assertThat(StixPattern.parse("[domain-name:value ISSUBSET 'x.example']").unsupported()).contains("ISSUBSET");
        assertThat(StixPattern.parse("[url:value = 'it\\'s']").terms()).containsExactly(
                new StixPattern.Term(Type.URL, "it's"));
        assertThat(StixPattern.parse("[".repeat(40) + "ipv4-addr:value = '1.2.3.4'" + "]".repeat(40)).unsupported())
                .contains("nested");
        assertThat(StixPattern.parse("((([ipv4-addr:value = '1.2.3.4'])))").terms()).hasSize(1);
        assertThat(StixPattern.parse("[ipv4-addr:value = '1.2.3.4'").unsupported()).contains("not closed");
    }

    @Test
    void notABundleIsAnError() {
        assertThatThrownBy(() -> IndicatorFeeds.read("stix", utf8("{\"type\": \"report\"}"), "x"))
                .isInstanceOf(IOException.class).hasMessageContaining("not a STIX bundle");
        assertThatThrownBy(() -> IndicatorFeeds.read("stix", utf8("{\"type\": "), "x"))
                .isInstanceOf(IOException.class).hasMessageContaining("not valid JSON");
    }

    static final String MISP = """
            {"Event": {"info": "Phishing wave", "threat_level_id": "1", "Orgc": {"name": "CIRCL"},
              "Tag": [{"name": "tlp:white"}],
              "Attribute": [
                {"type": "ip-dst", "value": "198.51.100.7", "to_ids": true, "uuid": "u1"},
                {"type": "ip-src|port", "value": "198.51.100.8|443", "to_ids": true, "uuid": "u2", "comment": "sender",
                 "Tag": [{"name": "misp:confidence-level=\\"rarely-confident\\""}]},
                {"type": "domain", "value": "phish.example", "to_ids": "1", "uuid": "u3"},
                {"type": "url", "value": "https://phish.example/login", "to_ids": false, "uuid": "u4"},
                {"type": "filename|sha256", "value": "a.exe|BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "to_ids": true, "uuid": "u5"},
                {"type": "comment", "value": "hello", "to_ids": true},
                {"type": "md5", "value": "abc", "to_ids": true, "uuid": "u6"}
              ],
              "Object": [{"name": "domain-ip", "Attribute": [
                {"type": "hostname", "value": "mail.phish.example", "to_ids": true, "uuid": "u7"},
                {"type": "ip-dst", "value": "2001:db8::/32", "to_ids": true, "uuid": "u8"}]}]
            }}""";

    @Test
    void mispEventReadsAttributesForDetectionWithConfidenceFromTagsOrThreatLevel() throws IOException {
        FeedResult r = IndicatorFeeds.read("misp", utf8(MISP), "circl");

        assertThat(r.indicators()).extracting(Indicator::type, Indicator::value, Indicator::confidence, Indicator::id)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Type.IPV4_ADDR, "198.51.100.7", 85, "u1"),
                        org.assertj.core.groups.Tuple.tuple(Type.IPV4_ADDR, "198.51.100.8", 25, "u2"),
                        org.assertj.core.groups.Tuple.tuple(Type.DOMAIN_NAME, "phish.example", 85, "u3"),
                        org.assertj.core.groups.Tuple.tuple(Type.SHA256, "b".repeat(64), 85, "u5"),
                        org.assertj.core.groups.Tuple.tuple(Type.DOMAIN_NAME, "mail.phish.example", 85, "u7"),
                        org.assertj.core.groups.Tuple.tuple(Type.CIDR, "2001:db8::/32", 85, "u8"));
        assertThat(r.indicators()).allSatisfy(i -> assertThat(i.provider()).isEqualTo("CIRCL"));
        assertThat(r.indicators().get(0).description()).isEqualTo("Phishing wave");
        assertThat(r.indicators().get(1).description()).isEqualTo("sender");
        assertThat(r.skipped()).as("to_ids false, comment").isEqualTo(2);
        assertThat(r.problems()).containsExactly("Event.Attribute[6]: not a MD5 (32 hex digits): 'abc'");
    }

    @Test
    void mispSearchResponseAndEventTagConfidence() throws IOException {
        String body = """
                {"response": [{"Event": {"threat_level_id": "3", "Attribute": [
                  {"type": "ip-src", "value": "192.0.2.1", "to_ids": true}]}},
                 {"Event": {"threat_level_id": "3",
                   "Tag": [{"name": "estimative-language:confidence-in-analytic-judgment=\\"high\\""}],
                   "Attribute": [{"type": "sha1", "value": "0123456789012345678901234567890123456789", "to_ids": true}]}}]}""";
        assertThat(IndicatorFeeds.detect(utf8(body))).isEqualTo("misp");
        assertThat(IndicatorFeeds.parse("misp", utf8(body), "m")).extracting(Indicator::confidence)
                .containsExactly(20, 90);
    }

    @Test
    void csvWithHeaderGuessesIpAndHashKindsAndNamesBadLines() throws IOException {
        String csv = """
                # exported 2015-12-10
                type,value,confidence,valid_from,valid_until,description,provider
                ip,183.62.140.253,90,2015-12-01T00:00:00Z,,"scanner, ssh",abuse.example
                ip,2001:db8::/48,,,,,
                hash,0123456789abcdef0123456789abcdef,,,,,
                domain,Bad.Example,,,,,
                url,http://bad.example/x,,,,,
                ipv4-addr,999.1.1.1,,,,,
                sha256,abcd,,,,,
                ip,10.0.0.1,101,,,,

                fqdn,x.example,,,,,
                """;
        FeedResult r = IndicatorFeeds.read("csv", utf8(csv), "abuse");

        assertThat(r.indicators()).extracting(Indicator::type, Indicator::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Type.IPV4_ADDR, "183.62.140.253"),
                org.assertj.core.groups.Tuple.tuple(Type.CIDR, "2001:db8::/48"),
                org.assertj.core.groups.Tuple.tuple(Type.MD5, "0123456789abcdef0123456789abcdef"),
                org.assertj.core.groups.Tuple.tuple(Type.DOMAIN_NAME, "bad.example"),
                org.assertj.core.groups.Tuple.tuple(Type.URL, "http://bad.example/x"));
        assertThat(r.indicators().get(0)).isEqualTo(new Indicator(Type.IPV4_ADDR, "183.62.140.253", 90,
                Instant.parse("2015-12-01T00:00:00Z"), null, "abuse", "abuse.example", null, "scanner, ssh"));
        assertThat(r.problems()).containsExactly(
                "line 8: not an IPv4 address: '999.1.1.1'",
                "line 9: not a SHA256 (64 hex digits): 'abcd'",
                "line 10: confidence is an integer 0 to 100: '101'",
                "line 12: unknown type 'fqdn'");
    }

    @Test
    void csvHeaderErrorsFailTheFeed() {
        assertThatThrownBy(() -> IndicatorFeeds.read("csv", utf8("type,value,colour\nip,1.2.3.4,red\n"), "f"))
                .isInstanceOf(IOException.class).hasMessageContaining("line 1: unknown column 'colour'");
        assertThatThrownBy(() -> IndicatorFeeds.read("csv", utf8("value\n1.2.3.4\n"), "f"))
                .isInstanceOf(IOException.class).hasMessageContaining("needs the columns type and value");
        assertThatThrownBy(() -> IndicatorFeeds.read("csv", utf8("type,value\nip,nope\nip,also-not\n"), "f"))
                .isInstanceOf(IOException.class).hasMessageContaining("no valid indicator, 2 refused")
                .hasMessageContaining("line 2: not an ip: 'nope'");
    }

    @Test
    void formatIsDetectedFromContent() {
        assertThat(IndicatorFeeds.detect(utf8(STIX))).isEqualTo("stix");
        assertThat(IndicatorFeeds.detect(utf8("\uFEFF  " + MISP))).isEqualTo("misp");
        assertThat(IndicatorFeeds.detect(utf8("type,value\n"))).isEqualTo("csv");
    }

    @Test
    void valuesNormalize() {
        assertThat(IndicatorValues.normalize(Type.IPV6_ADDR, "2001:0DB8:0000:0000:0001:0000:0000:0001"))
                .isEqualTo("2001:db8::1:0:0:1");
        assertThat(IndicatorValues.normalize(Type.IPV6_ADDR, "::1")).isEqualTo("::1");
        assertThat(IndicatorValues.normalize(Type.CIDR, "192.168.7.9/16")).isEqualTo("192.168.0.0/16");
        assertThat(IndicatorValues.normalize(Type.DOMAIN_NAME, "Bücher.Example.")).isEqualTo("xn--bcher-kva.example");
        assertThatThrownBy(() -> IndicatorValues.normalize(Type.DOMAIN_NAME, "localhost"))
                .hasMessageContaining("not a domain name");
        assertThatThrownBy(() -> IndicatorValues.normalize(Type.CIDR, "10.0.0.0/33")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> IndicatorValues.normalize(Type.IPV4_ADDR, "evil.example"))
                .hasMessageContaining("not an IPv4 address");
        assertThat(IndicatorValues.normalize(Type.URL, "HTTPS://Host.Example:443?q=A")).isEqualTo("https://host.example/?q=A");
        assertThat(IndicatorValues.urlHost("http://user@Sub.Evil.Example:8080/p")).isEqualTo("sub.evil.example");
        assertThat(IndicatorValues.urlHost("http://evil.example:8080/?a=]")).as("a ']' after the authority")
                .isEqualTo("evil.example");
        assertThat(IndicatorValues.urlHost("http://evil.example:8080#]")).isEqualTo("evil.example");
    }
}
