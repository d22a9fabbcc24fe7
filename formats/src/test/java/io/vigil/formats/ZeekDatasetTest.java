package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OTRF LSASS_campaign_01 Zeek logs against GROUND_TRUTH.md §7. */
class ZeekDatasetTest {

    private static final String DIR = "otrf-security-datasets/zeek/LSASS_campaign_01";
    private static final Map<String, List<SecurityEvent>> EVENTS = new TreeMap<>();
    private static final List<String> FAILURES = new ArrayList<>();

    /**
     * Frames a Zeek file the way the framing layer does: the '#' lines before a block of data rows
     * are that block's header, joined by '\n'; a '#' line after data rows starts a new header.
     */
    @BeforeAll
    static void decodeAll() throws IOException {
        ZeekDecoder decoder = new ZeekDecoder(DecoderOptions.defaults());
        List<Path> files;
        try (Stream<Path> s = Files.list(Datasets.root().resolve(DIR))) {
            files = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        for (Path file : files) {
            String name = DIR + "/" + file.getFileName();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> header = new ArrayList<>();
            boolean inData = false;
            List<SecurityEvent> events = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("#")) {
                    if (inData) {
                        header.clear();
                        inData = false;
                    }
                    header.add(line);
                    continue;
                }
                inData = true;
                RawRecord record = new RawRecord(line.getBytes(StandardCharsets.UTF_8), Origin.file(name, i + 1),
                        Formats.ZEEK, String.join("\n", header), null, -1);
                DecodeResult r = decoder.decode(record);
                if (r.ok()) {
                    events.addAll(r.events());
                } else {
                    FAILURES.add(name + ":" + (i + 1) + ": " + r.error());
                }
            }
            EVENTS.put(file.getFileName().toString().replace(".log", ""), events);
        }
    }

    private static <K> Map<K, Long> count(String log, Function<SecurityEvent, K> key) {
        return EVENTS.get(log).stream().map(key)
                .collect(Collectors.groupingBy(k -> k, LinkedHashMap::new, Collectors.counting()));
    }

    @Test
    void rowsPerLogAndNoFailures() {
        assertThat(FAILURES).isEmpty();
        Map<String, Integer> rows = new TreeMap<>();
        EVENTS.forEach((log, events) -> rows.put(log, events.size()));
        assertThat(rows).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("analyzer", 6), Map.entry("conn", 112), Map.entry("dns", 96), Map.entry("files", 3),
                Map.entry("http", 3), Map.entry("kerberos", 10), Map.entry("packet_filter", 1), Map.entry("pe", 1),
                Map.entry("smb_mapping", 1), Map.entry("ssl", 5), Map.entry("weird", 22), Map.entry("x509", 1)));
        assertThat(rows.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(261);
    }

    @Test
    void everyLogIsKnownAndNamedAfterItsPath() {
        EVENTS.forEach((log, events) -> assertThat(events).allSatisfy(e -> {
            assertThat(e.eventModule()).isEqualTo("zeek");
            assertThat(e.eventDataset()).isEqualTo("zeek." + log);
            assertThat(e.eventAction()).isNotNull();
            assertThat(e.eventOriginal()).doesNotStartWith("#");
        }));
    }

    @Test
    void connByResponder() {
        Map<String, Long> byResponder = count("conn", e -> e.destinationIp() + ":" + e.destinationPort() + "/"
                + e.field("network.transport") + " " + (e.field("zeek.conn.service") == null ? "-" : e.field("zeek.conn.service")));
        assertThat(byResponder)
                .containsEntry("192.168.1.4:53/udp dns", 65L)
                .containsEntry("192.168.1.4:88/tcp krb_tcp", 10L)
                .containsEntry("192.168.1.4:389/tcp -", 7L)
                .containsEntry("10.0.5.13:8080/tcp -", 6L)
                .containsEntry("ff02::1:3:5355/udp dns", 6L)
                .containsEntry("10.0.5.13:80/tcp -", 4L)
                .containsEntry("192.168.1.4:135/tcp dce_rpc", 4L)
                .containsEntry("192.168.1.4:49669/tcp dce_rpc", 2L)
                .containsEntry("192.168.1.4:49669/tcp dce_rpc,gssapi", 2L)
                .containsEntry("192.168.1.4:445/tcp smb,dce_rpc,gssapi,krb", 1L)
                .containsEntry("ff02::1:133/icmp -", 1L)
                .containsEntry("ff02::fb:5353/udp dns", 1L);
        assertThat(EVENTS.get("conn")).allSatisfy(e -> {
            assertThat(e.field("zeek.session_id")).startsWith("C");
            assertThat(e.field("zeek.conn.conn_state")).isNotNull();
            assertThat(e.sourceIp()).isNotNull();
        });
    }

    @Test
    void httpRequestsHaveOnlyStatusAndMime() {
        List<SecurityEvent> http = EVENTS.get("http");
        assertThat(http).extracting(e -> e.sourceIp() + " -> " + e.destinationIp() + ":" + e.destinationPort() + " "
                        + e.httpRequestMethod() + " " + e.urlDomain() + " " + e.urlOriginal() + " "
                        + e.httpResponseStatusCode() + " " + e.field("zeek.http.resp_mime_types"))
                .containsExactly(
                        "192.168.1.41 -> 10.0.5.13:80 null null null 200 text/html",
                        "192.168.1.41 -> 10.0.5.13:80 null null null 404 text/html",
                        "192.168.1.41 -> 10.0.5.13:80 null null null 200 application/x-dosexec");
        assertThat(http).extracting(SecurityEvent::eventOutcome).containsExactly("success", "failure", "success");
    }

    @Test
    void kerberosClientsAndServices() {
        assertThat(EVENTS.get("kerberos")).extracting(e -> e.sourceIp() + " -> " + e.destinationIp()
                        + " client=" + e.field("zeek.kerberos.client") + " user=" + e.userName()
                        + " service=" + e.field("zeek.kerberos.service") + " success=" + e.field("zeek.kerberos.success")
                        + " outcome=" + e.eventOutcome() + " error=" + e.field("zeek.kerberos.error_msg"))
                .containsExactly(
                        "192.168.1.41 -> 192.168.1.4 client=null user=null service=krbtgt/PANDALAB.COM success=F outcome=failure error=KDC_ERR_PREAUTH_REQUIRED",
                        "192.168.1.41 -> 192.168.1.4 client=stevie.marie/PANDALAB.COM user=stevie.marie service=krbtgt/PANDALAB.COM success=T outcome=success error=null",
                        "192.168.1.41 -> 192.168.1.4 client=stevie.marie/PANDALAB.COM user=stevie.marie service=LDAP/DC01.pandalab.com/pandalab.com success=T outcome=success error=null",
                        "192.168.1.41 -> 192.168.1.4 client=null user=null service=krbtgt/PANDALAB.COM success=F outcome=failure error=KDC_ERR_PREAUTH_REQUIRED",
                        "192.168.1.41 -> 192.168.1.4 client=pedro.gustavo/PANDALAB.COM user=pedro.gustavo service=krbtgt/PANDALAB.COM success=T outcome=success error=null",
                        "192.168.1.41 -> 192.168.1.4 client=pedro.gustavo/PANDALAB.COM user=pedro.gustavo service=cifs/DC01.pandalab.com success=T outcome=success error=null",
                        "192.168.1.41 -> 192.168.1.4 client=pedro.gustavo/PANDALAB.COM user=pedro.gustavo service=krbtgt/PANDALAB.COM success=T outcome=success error=null",
                        "192.168.1.41 -> 192.168.1.4 client=pedro.gustavo/PANDALAB.COM user=pedro.gustavo service=ProtectedStorage/DC01.pandalab.com success=T outcome=success error=null",
                        "192.168.1.41 -> 192.168.1.4 client=MKT01$/PANDALAB.COM user=MKT01$ service=ldap/DC01.pandalab.com success=T outcome=success error=null",
                        "192.168.1.41 -> 192.168.1.4 client=MKT01$/PANDALAB.COM user=MKT01$ service=ldap/DC01.pandalab.com success=T outcome=success error=null");
    }

    @Test
    void filesPeAndSmbMapping() {
        assertThat(EVENTS.get("files")).extracting(e -> e.timestamp().getEpochSecond() + " " + e.field("zeek.session_id")
                        + " " + e.sourceIp() + " " + e.sourcePort() + " " + e.field("zeek.files.source") + " "
                        + e.field("zeek.files.depth") + " " + e.field("zeek.files.analyzers"))
                .containsExactly(
                        "1692161644 CX6po61SVaO8po0uh8 192.168.1.41 55213 HTTP 0 null",
                        "1692161646 CmEIco3PeaVm1LV64l 192.168.1.41 52887 HTTP 0 null",
                        "1692161648 CwSLisOv4lXMZlXd3 192.168.1.41 51126 HTTP 0 PE");
        SecurityEvent pe = EVENTS.get("pe").get(0);
        assertThat(pe.timestamp().toString()).isEqualTo("2023-08-16T04:54:08.333856Z");
        assertThat(pe.fields()).containsEntry("zeek.pe.id", "FmHWcO2PF9wbqM6cil").containsEntry("zeek.pe.machine", "AMD64")
                .containsEntry("zeek.pe.os", "Windows 95 or NT 4.0").containsEntry("zeek.pe.subsystem", "WINDOWS_GUI")
                .containsEntry("zeek.pe.is_exe", "T").containsEntry("zeek.pe.is_64bit", "T");
        SecurityEvent smb = EVENTS.get("smb_mapping").get(0);
        assertThat(smb.sourceIp() + " " + smb.sourcePort() + " " + smb.destinationIp() + " " + smb.destinationPort())
                .isEqualTo("192.168.1.41 51132 192.168.1.4 445");
        assertThat(smb.fields()).containsEntry("zeek.smb_mapping.share_type", "PIPE")
                .doesNotContainKey("zeek.smb_mapping.path");
    }

    @Test
    void dnsQueries() {
        assertThat(EVENTS.get("dns")).allSatisfy(e -> assertThat(e.field("network.protocol")).isEqualTo("dns"));
        assertThat(EVENTS.get("dns").stream().filter(e -> e.field("dns.question.name") != null)).isNotEmpty();
    }
}
