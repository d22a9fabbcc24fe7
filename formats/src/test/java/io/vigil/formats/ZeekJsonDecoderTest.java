package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Zeek JSON log entries, in the shapes Zeek's JSON writer and the zeek-kafka plugin send them,
 * and every malformed one as a failure with its reason.
 */
class ZeekJsonDecoderTest {

    /** A conn entry as {@code LogAscii::use_json=T} writes it, with a {@code _path} a pipeline added. */
    private static final String CONN = "{\"_path\":\"conn\",\"_write_ts\":\"2023-08-16T04:53:50.000000Z\","
            + "\"ts\":1692161622.036086,\"uid\":\"Cnsu5m395zFmE9ikp4\",\"id.orig_h\":\"192.168.1.41\",\"id.orig_p\":52605,"
            + "\"id.resp_h\":\"192.168.1.4\",\"id.resp_p\":445,\"proto\":\"tcp\",\"service\":\"smb,dce_rpc,gssapi,krb\","
            + "\"duration\":1.5,\"orig_bytes\":1234,\"resp_bytes\":5678,\"conn_state\":\"SF\",\"local_orig\":true,"
            + "\"local_resp\":false,\"missed_bytes\":0,\"history\":\"ShADadFf\",\"orig_pkts\":10,\"orig_ip_bytes\":1634,"
            + "\"resp_pkts\":9,\"resp_ip_bytes\":6046,\"tunnel_parents\":[]}";

    /** A dns entry as the zeek-kafka plugin sends it with tag_json and additional_message_values. */
    private static final String DNS = "{\"dns\": {\"ts\":1692161622.1,\"uid\":\"Cabc\",\"id.orig_h\":\"192.168.1.41\","
            + "\"id.orig_p\":52605,\"id.resp_h\":\"192.168.1.4\",\"id.resp_p\":53,\"proto\":\"udp\",\"trans_id\":58519,"
            + "\"rtt\":0.001,\"query\":\"dc01.pandalab.com\",\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":1,"
            + "\"qtype_name\":\"A\",\"rcode\":0,\"rcode_name\":\"NOERROR\",\"AA\":true,\"TC\":false,\"RD\":true,\"RA\":true,"
            + "\"Z\":0,\"answers\":[\"192.168.1.4\",\"10.0.0.9\"],\"TTLs\":[600.0,60.0],\"rejected\":false},"
            + "\"SENSOR\": \"edge-1\"}";

    /** An http entry without _path or tag: only its stream can say it is http. */
    private static final String HTTP = "{\"ts\":1692161644.001072,\"uid\":\"CX6po61SVaO8po0uh8\",\"id.orig_h\":\"192.168.1.41\","
            + "\"id.orig_p\":55213,\"id.resp_h\":\"10.0.5.13\",\"id.resp_p\":80,\"trans_depth\":1,\"method\":\"GET\","
            + "\"host\":\"evil.example\",\"uri\":\"/payload.exe?x=1\",\"version\":\"1.1\",\"user_agent\":\"Wget/1.21\","
            + "\"request_body_len\":0,\"response_body_len\":7168,\"status_code\":404,\"status_msg\":\"Not Found\","
            + "\"tags\":[],\"username\":\"bob\",\"password\":\"secret\",\"resp_fuids\":[\"FmHWcO2PF9wbqM6cil\"],"
            + "\"resp_mime_types\":[\"application/x-dosexec\"]}";

    private final ZeekDecoder decoder = new ZeekDecoder(DecoderOptions.defaults());

    private DecodeResult decode(String header, String json) {
        return decoder.decode(new RawRecord(json.getBytes(StandardCharsets.UTF_8), Origin.kafka("zeek", 0, 7),
                Formats.ZEEK, header, null, -1));
    }

    private SecurityEvent one(String header, String json) {
        DecodeResult r = decode(header, json);
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }

    private String error(String json) {
        DecodeResult r = decode(null, json);
        assertThat(r.ok()).as("%s", r).isFalse();
        return r.error();
    }

    @Test
    void untaggedEntryWithPath() {
        SecurityEvent e = one(null, CONN);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2023-08-16T04:53:42.036086Z"));
        assertThat(e.sourceIp()).isEqualTo("192.168.1.41");
        assertThat(e.sourcePort()).isEqualTo(52605);
        assertThat(e.destinationIp()).isEqualTo("192.168.1.4");
        assertThat(e.destinationPort()).isEqualTo(445);
        assertThat(e.eventModule()).isEqualTo("zeek");
        assertThat(e.eventDataset()).isEqualTo("zeek.conn");
        assertThat(e.eventAction()).isEqualTo("network_flow");
        assertThat(e.eventCategory()).containsExactly("network");
        assertThat(e.eventType()).containsExactly("connection");
        assertThat(e.eventOriginal()).isEqualTo(CONN);
        assertThat(e.origin()).isEqualTo(Origin.kafka("zeek", 0, 7));
        assertThat(e.fields())
                .containsEntry("zeek.session_id", "Cnsu5m395zFmE9ikp4")
                .containsEntry("network.transport", "tcp")
                .containsEntry("network.protocol", "smb")
                .containsEntry("zeek.conn.service", "smb,dce_rpc,gssapi,krb")
                .containsEntry("zeek.conn.local_orig", "T")
                .containsEntry("zeek.conn.local_resp", "F")
                .containsEntry("zeek.conn.missed_bytes", "0")
                .containsEntry("source.bytes", "1234")
                .containsEntry("destination.packets", "9")
                .containsEntry("event.duration", "1500000000")
                .doesNotContainKeys("zeek.conn.tunnel_parents", "zeek.conn._path", "zeek.conn._write_ts",
                        "zeek.conn.ts", "zeek.conn.uid");
    }

    @Test
    void jsonAndTsvOfOneEntryGiveOneEvent() {
        String header = String.join("\n", "#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
                "#unset_field\t-", "#path\tconn",
                "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\t"
                        + "resp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\t"
                        + "orig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents");
        String row = "1692161622.036086\tCnsu5m395zFmE9ikp4\t192.168.1.41\t52605\t192.168.1.4\t445\ttcp\t"
                + "smb,dce_rpc,gssapi,krb\t1.5\t1234\t5678\tSF\tT\tF\t0\tShADadFf\t10\t1634\t9\t6046\t(empty)";
        SecurityEvent tsv = one(header, row);
        SecurityEvent json = one(null, CONN);
        assertThat(json.toBuilder().eventOriginal(row).build()).isEqualTo(tsv);
    }

    @Test
    void taggedEntryNamesItsLogAndTheTopLevelAdditionsAreNotColumns() {
        SecurityEvent e = one(null, DNS);
        assertThat(e.eventDataset()).isEqualTo("zeek.dns");
        assertThat(e.eventAction()).isEqualTo("dns_query");
        assertThat(e.eventOutcome()).isEqualTo("success");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2023-08-16T04:53:42.100Z"));
        assertThat(e.fields())
                .containsEntry("dns.question.name", "dc01.pandalab.com")
                .containsEntry("dns.id", "58519")
                .containsEntry("dns.header_flags", "AA,RD,RA")
                .containsEntry("zeek.dns.answers", "192.168.1.4,10.0.0.9")
                .containsEntry("zeek.dns.TTLs", "600.0,60.0")
                .containsEntry("zeek.dns.rejected", "F")
                .doesNotContainValue("edge-1");
        assertThat(e.fields().keySet()).allMatch(k -> !k.contains("SENSOR"));
    }

    @Test
    void theStreamNamesTheLogOfAnEntryThatDoesNot() {
        SecurityEvent e = one("#path\thttp", HTTP);
        assertThat(e.eventDataset()).isEqualTo("zeek.http");
        assertThat(e.httpRequestMethod()).isEqualTo("GET");
        assertThat(e.urlDomain()).isEqualTo("evil.example");
        assertThat(e.urlOriginal()).isEqualTo("/payload.exe?x=1");
        assertThat(e.httpResponseStatusCode()).isEqualTo(404);
        assertThat(e.httpResponseBodyBytes()).isEqualTo(7168L);
        assertThat(e.userName()).isEqualTo("bob");
        assertThat(e.eventOutcome()).isEqualTo("failure");
        assertThat(e.fields()).containsEntry("zeek.http.resp_mime_types", "application/x-dosexec")
                .containsEntry("zeek.http.resp_fuids", "FmHWcO2PF9wbqM6cil")
                .doesNotContainKeys("zeek.http.tags", "zeek.http.password")
                .doesNotContainValue("secret");
        // a TSV header's #path serves as well, and the log an entry names wins over its stream's
        String tsvHeader = "#separator \\x09\n#path\thttp\n#fields\tts\tuid";
        assertThat(one(tsvHeader, HTTP).eventDataset()).isEqualTo("zeek.http");
        assertThat(one("#path\tdns", CONN).eventDataset()).isEqualTo("zeek.conn");
        assertThat(one("#path\tconn", DNS).eventDataset()).isEqualTo("zeek.dns");
        String taggedWithOtherPath = "{\"conn\":{\"_path\":\"dns\",\"ts\":1.5,\"uid\":\"C1\"}}";
        assertThat(one(null, taggedWithOtherPath).eventDataset()).isEqualTo("zeek.conn");
    }

    @Test
    void anEntryThatNamesNoLogOnAStreamThatGivesNoneIsRefused() {
        assertThat(error(HTTP)).startsWith("Zeek JSON record names no log")
                .contains("not tagged").contains("_path").contains("configure the topic's Zeek path");
        assertThat(decode("#fields\tts\tuid", HTTP).error()).startsWith("Zeek JSON record names no log");
        assertThat(decode("#path\thttp\nnot a header line", HTTP).error()).startsWith("Zeek JSON record names no log");
    }

    @Test
    void everyTimestampFormatOfZeeksJsonWriter() {
        Instant t = Instant.parse("2023-08-16T04:53:42.036086Z");
        String rest = ",\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\"}}";
        assertThat(one(null, "{\"conn\":{\"ts\":1692161622.036086" + rest).timestamp()).isEqualTo(t);
        assertThat(one(null, "{\"conn\":{\"ts\":1692161622036" + rest).timestamp())
                .isEqualTo(Instant.parse("2023-08-16T04:53:42.036Z")); // JSON::TS_MILLIS
        assertThat(one(null, "{\"conn\":{\"ts\":\"2023-08-16T04:53:42.036086Z\"" + rest).timestamp())
                .isEqualTo(t); // JSON::TS_ISO8601
        assertThat(one(null, "{\"conn\":{\"ts\":\"1692161622.036086\"" + rest).timestamp()).isEqualTo(t);
        assertThat(one(null, "{\"conn\":{\"ts\":1.692161622036086E9" + rest).timestamp()).isEqualTo(t);
        assertThat(one(null, "{\"conn\":{\"ts\":1692161622.0" + rest).timestamp())
                .isEqualTo(Instant.parse("2023-08-16T04:53:42Z"));
    }

    @Test
    void aMissingOrBadTimestampIsRefused() {
        assertThat(error("{\"conn\":{\"uid\":\"C1\"}}")).isEqualTo("Zeek JSON record has no ts");
        assertThat(error("{\"conn\":{\"ts\":null,\"uid\":\"C1\"}}")).isEqualTo("Zeek JSON record has no ts");
        assertThat(error("{\"_path\":\"conn\",\"uid\":\"C1\"}")).isEqualTo("Zeek JSON record has no ts");
        assertThat(error("{\"_path\":\"conn\",\"ts\":\"yesterday\"}"))
                .isEqualTo("Zeek JSON ts is not epoch seconds, epoch milliseconds or an ISO 8601 time: 'yesterday'");
        assertThat(error("{\"_path\":\"conn\",\"ts\":-1692161622036}")).contains("ts is not epoch seconds");
        assertThat(error("{\"_path\":\"conn\",\"ts\":-1.5}")).contains("ts is not epoch seconds");
        assertThat(error("{\"_path\":\"conn\",\"ts\":true}")).contains("ts is not epoch seconds");
        assertThat(error("{\"_path\":\"conn\",\"ts\":[1.5]}")).contains("ts is not epoch seconds");
        assertThat(error("{\"_path\":\"conn\",\"ts\":\"2023-13-45T99:00:00.000000Z\"}")).contains("ts is not epoch seconds");
        assertThat(error("{\"_path\":\"conn\",\"ts\":1e400}")).contains("ts is not epoch seconds");
        assertThat(error("{\"_path\":\"conn\",\"ts\":\"" + "9".repeat(500) + "\"}"))
                .contains("ts is not epoch seconds").hasSizeLessThan(200);
    }

    @Test
    void unknownLogsAndUnknownKeysNeverBecomeNames() {
        String unknown = "{\"_path\":\"Evil.Log; DROP\",\"ts\":1692161622.5,\"uid\":\"Cx\",\"id.orig_h\":\"10.0.0.1\","
                + "\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":2,\"injected_name\":\"value\"}";
        SecurityEvent e = one(null, unknown);
        assertThat(e.eventDataset()).isEqualTo("zeek.unknown");
        assertThat(e.eventAction()).isNull();
        assertThat(e.fields()).containsOnlyKeys("zeek.session_id");
        assertThat(e.sourceIp()).isEqualTo("10.0.0.1");
        String taggedUnknown = "{\"my_log\":{\"ts\":1692161622.5,\"uid\":\"Cx\",\"conn_state\":\"S0\"}}";
        assertThat(one(null, taggedUnknown).fields()).containsOnlyKeys("zeek.session_id");
        assertThat(one(null, taggedUnknown).eventDataset()).isEqualTo("zeek.unknown");

        String offList = "{\"conn\":{\"ts\":1692161622.0,\"uid\":\"Cx\",\"conn_state\":\"S0\",\"my_custom_column\":\"x\","
                + "\"zeek.conn.history\":\"forged\"}}";
        assertThat(one(null, offList).fields()).containsOnlyKeys("zeek.session_id", "zeek.conn.conn_state");
    }

    @Test
    void aSecondFilterOfALogIsStillThatLog() {
        // Zeek names the path of a second filter on a log conn-2 (zeek-kafka README, tag_json)
        assertThat(one(null, "{\"conn-2\":{\"ts\":1692161622.5,\"uid\":\"C1\",\"proto\":\"udp\"}}").fields())
                .containsEntry("network.transport", "udp").containsEntry("zeek.conn.proto", "udp");
        assertThat(one(null, "{\"conn-x\":{\"ts\":1692161622.5,\"uid\":\"C1\"}}").eventDataset()).isEqualTo("zeek.unknown");
    }

    @Test
    void setsVectorsNullsAndNestedRecords() {
        String json = "{\"_path\":\"conn\",\"ts\":1692161622.5,\"id\":{\"orig_h\":\"10.0.0.1\",\"orig_p\":5353,"
                + "\"resp_h\":\"224.0.0.251\",\"resp_p\":5353},\"proto\":\"udp\",\"duration\":1.5e-07,\"orig_bytes\":null,"
                + "\"tunnel_parents\":[\"Ca,b\",null,\"Cc\"],\"service\":\"\"}";
        SecurityEvent e = one(null, json);
        assertThat(e.sourceIp()).isEqualTo("10.0.0.1");
        assertThat(e.sourcePort()).isEqualTo(5353);
        assertThat(e.destinationIp()).isEqualTo("224.0.0.251");
        assertThat(e.fields())
                .containsEntry("event.duration", "150")
                .containsEntry("zeek.conn.duration", "0.00000015")
                .containsEntry("zeek.conn.tunnel_parents", "Ca\\x2cb,-,Cc")
                .doesNotContainKeys("zeek.conn.orig_bytes", "source.bytes", "zeek.conn.service", "network.protocol");
    }

    @Test
    void malformedRecordsAreRefusedWithTheirReason() {
        assertThat(error("[{\"ts\":1.5,\"_path\":\"conn\"}]")).isEqualTo("Zeek JSON record is not an object: it starts with an array");
        assertThat(error("{\"ts\":1.5,\"_path\":\"conn\"")).startsWith("invalid JSON at column");
        assertThat(error("{\"ts\":1.5,\"_path\":\"conn\",}")).startsWith("invalid JSON at column 26");
        assertThat(error("{\"ts\":1.5,\"_path\":\"conn\"} {\"ts\":2}"))
                .isEqualTo("Zeek JSON record has content after its object, at column 27");
        assertThat(error("{\"ts\":1.5,\"_path\":\"conn\"} trailing")).startsWith("invalid JSON at column ")
                .contains("'trailing'");
        assertThat(error("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{}}}}}}"))
                .isEqualTo("Zeek JSON nested deeper than 5 levels (at 'a.b.c.d.e'): Zeek writes flat records");
        assertThat(error("{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"))
                .isEqualTo("Zeek JSON column 'x' holds a nested array in an array: Zeek writes sets and vectors of "
                        + "plain values");
        assertThat(error("{\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}"))
                .startsWith("Zeek JSON nested deeper than 5 levels");
        assertThat(error("{\"_path\":\"conn\",\"ts\":1.5,\"tunnel_parents\":[{\"uid\":\"C1\"}]}"))
                .isEqualTo("Zeek JSON column 'tunnel_parents' holds a nested object in an array: Zeek writes sets and "
                        + "vectors of plain values");
        assertThat(error("{\"_path\":\"conn\",\"ts\":1.5,\"id.orig_h\":\"10.0.0.1\",\"id.orig_h\":\"10.6.6.6\"}"))
                .isEqualTo("Zeek JSON record has the key 'id.orig_h' twice");
        assertThat(error("{\"_path\":\"conn\",\"ts\":1.5,\"id.orig_h\":\"10.0.0.1\",\"id\":{\"orig_h\":\"10.6.6.6\"}}"))
                .isEqualTo("Zeek JSON record has the key 'id.orig_h' twice");
        StringBuilder wide = new StringBuilder("{\"_path\":\"conn\",\"ts\":1.5");
        for (int i = 0; i < 600; i++) {
            wide.append(",\"c").append(i).append("\":").append(i);
        }
        assertThat(error(wide.append('}').toString())).isEqualTo("Zeek JSON record has more than 512 columns");
        assertThat(error("{\"_path\":\"conn\",\"ts\":" + "1".repeat(2000) + "}")).startsWith("invalid JSON");
    }

    @Test
    void aRecordThatIsNotUtf8IsRefused() {
        byte[] bytes = "{\"_path\":\"conn\",\"ts\":1.5,\"uid\":\"C\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        DecodeResult r = decoder.decode(new RawRecord(bytes, Origin.kafka("zeek", 0, 1), Formats.ZEEK, null, null, -1));
        assertThat(r.error()).startsWith("Zeek JSON record is not valid UTF-8");
    }

    @Test
    void leadingBlanksAndALineEndStillMakeAJsonRecord() {
        SecurityEvent e = one(null, "  \t" + CONN + "\r\n");
        assertThat(e.eventDataset()).isEqualTo("zeek.conn");
        assertThat(e.eventOriginal()).isEqualTo(CONN);
    }

    @Test
    void everyPrefixOfAnEntryDecodesOrFailsWithoutThrowing() {
        for (String json : new String[] {CONN, DNS, HTTP}) {
            assertThat(decode("#path\thttp", json).ok()).isTrue();
            for (int i = 1; i < json.length(); i++) {
                DecodeResult r = decode("#path\thttp", json.substring(0, i));
                assertThat(r.ok()).as("prefix %d of %s", i, json).isFalse();
                assertThat(r.error()).isNotBlank();
            }
        }
    }
}
