package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ZeekDecoderTest {

    private static String header(String path, String fields, String types) {
        return String.join("\n",
                "#separator \\x09",
                "#set_separator\t,",
                "#empty_field\t(empty)",
                "#unset_field\t-",
                "#path\t" + path,
                "#open\t2023-08-16-01-28-55",
                "#fields\t" + fields,
                "#types\t" + types);
    }

    private static final String CONN = header("conn",
            "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\t"
                    + "conn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\t"
                    + "resp_ip_bytes\ttunnel_parents",
            "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\t"
                    + "string\tcount\tcount\tcount\tcount\tset[string]");
    private static final String DNS = header("dns",
            "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\t"
                    + "qtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected",
            "time\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\t"
                    + "string\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool");
    private static final String HTTP = header("http",
            "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\treferrer\tversion\t"
                    + "user_agent\torigin\trequest_body_len\tresponse_body_len\tstatus_code\tstatus_msg\tinfo_code\t"
                    + "info_msg\ttags\tusername\tpassword\tproxied\torig_fuids\torig_filenames\torig_mime_types\t"
                    + "resp_fuids\tresp_filenames\tresp_mime_types",
            "time\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tstring\tstring\tstring\tcount\t"
                    + "count\tcount\tstring\tcount\tstring\tset[enum]\tstring\tstring\tset[string]\tvector[string]\t"
                    + "vector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]");
    private static final String KERBEROS = header("kerberos",
            "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\trequest_type\tclient\tservice\tsuccess\terror_msg\t"
                    + "from\ttill\tcipher\tforwardable\trenewable\tclient_cert_subject\tclient_cert_fuid\t"
                    + "server_cert_subject\tserver_cert_fuid",
            "time\tstring\taddr\tport\taddr\tport\tstring\tstring\tstring\tbool\tstring\ttime\ttime\tstring\tbool\t"
                    + "bool\tstring\tstring\tstring\tstring");

    private final ZeekDecoder decoder = new ZeekDecoder(DecoderOptions.defaults());

    private DecodeResult decode(String header, String row) {
        return decoder.decode(new RawRecord(row.getBytes(StandardCharsets.UTF_8), Origin.file("conn.log", 9),
                Formats.ZEEK, header, null, -1));
    }

    private SecurityEvent one(String header, String row) {
        DecodeResult r = decode(header, row);
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }

    @Test
    void connRow() {
        String row = "1692161622.036086\tCnsu5m395zFmE9ikp4\t192.168.1.41\t52605\t192.168.1.4\t445\ttcp\t"
                + "smb,dce_rpc,gssapi,krb\t1.500000\t1234\t5678\tSF\tT\tT\t0\tShADadFf\t10\t1634\t9\t6046\t(empty)";
        SecurityEvent e = one(CONN, row);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2023-08-16T04:53:42.036086Z"));
        assertThat(e.sourceIp()).isEqualTo("192.168.1.41");
        assertThat(e.sourcePort()).isEqualTo(52605);
        assertThat(e.destinationIp()).isEqualTo("192.168.1.4");
        assertThat(e.destinationPort()).isEqualTo(445);
        assertThat(e.relatedIp()).containsExactly("192.168.1.41", "192.168.1.4");
        assertThat(e.eventModule()).isEqualTo("zeek");
        assertThat(e.eventDataset()).isEqualTo("zeek.conn");
        assertThat(e.eventAction()).isEqualTo("network_flow");
        assertThat(e.eventCategory()).containsExactly("network");
        assertThat(e.eventType()).containsExactly("connection");
        assertThat(e.eventOriginal()).isEqualTo(row);
        assertThat(e.fields())
                .containsEntry("zeek.session_id", "Cnsu5m395zFmE9ikp4")
                .containsEntry("network.transport", "tcp")
                .containsEntry("network.protocol", "smb")
                .containsEntry("zeek.conn.service", "smb,dce_rpc,gssapi,krb")
                .containsEntry("zeek.conn.conn_state", "SF")
                .containsEntry("zeek.conn.history", "ShADadFf")
                .containsEntry("source.bytes", "1234")
                .containsEntry("destination.bytes", "5678")
                .containsEntry("source.packets", "10")
                .containsEntry("destination.packets", "9")
                .containsEntry("event.duration", "1500000000")
                .doesNotContainKey("zeek.conn.tunnel_parents") // (empty)
                .doesNotContainKey("zeek.conn.uid")
                .doesNotContainKey("zeek.conn.id.orig_h");
    }

    @Test
    void unsetAndEmptyFieldsAreAbsent() {
        String row = "1692161622.036086\tCnsu5m395zFmE9ikp4\t192.168.1.41\t52605\t192.168.1.4\t53\tudp\tdns\t-\t-\t-\t"
                + "SHR\tT\tT\t0\t^d\t0\t0\t1\t62\t-";
        SecurityEvent e = one(CONN, row);
        assertThat(e.fields()).doesNotContainKeys("zeek.conn.duration", "zeek.conn.orig_bytes", "source.bytes",
                "event.duration", "zeek.conn.tunnel_parents");
        assertThat(e.fields()).containsEntry("zeek.conn.resp_ip_bytes", "62").containsEntry("network.protocol", "dns");
    }

    @Test
    void dnsRow() {
        String row = "1692161622.100000\tCabc\t192.168.1.41\t52605\t192.168.1.4\t53\tudp\t58519\t0.001\t"
                + "dc01.pandalab.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tT\tF\tT\tT\t0\t192.168.1.4\t600.000000\tF";
        SecurityEvent e = one(DNS, row);
        assertThat(e.eventDataset()).isEqualTo("zeek.dns");
        assertThat(e.eventAction()).isEqualTo("dns_query");
        assertThat(e.eventOutcome()).isEqualTo("success");
        assertThat(e.fields()).containsEntry("dns.question.name", "dc01.pandalab.com")
                .containsEntry("dns.question.type", "A")
                .containsEntry("dns.question.class", "C_INTERNET")
                .containsEntry("dns.response_code", "NOERROR")
                .containsEntry("dns.id", "58519")
                .containsEntry("dns.header_flags", "AA,RD,RA")
                .containsEntry("zeek.dns.answers", "192.168.1.4")
                .containsEntry("zeek.dns.TTLs", "600.000000")
                .containsEntry("network.transport", "udp");
        SecurityEvent servfail = one(DNS, row.replace("0\tNOERROR", "2\tSERVFAIL"));
        assertThat(servfail.eventOutcome()).isEqualTo("failure");
    }

    @Test
    void httpRow() {
        String row = "1692161644.001072\tCX6po61SVaO8po0uh8\t192.168.1.41\t55213\t10.0.5.13\t80\t1\tGET\tevil.example\t"
                + "/payload.exe?x=1\thttp://ref.example/\t1.1\tWget/1.21\t-\t0\t7168\t404\tNot Found\t-\t-\t(empty)\t"
                + "bob\tsecret\t-\t-\t-\t-\tFmHWcO2PF9wbqM6cil\t-\tapplication/x-dosexec";
        SecurityEvent e = one(HTTP, row);
        assertThat(e.eventDataset()).isEqualTo("zeek.http");
        assertThat(e.eventAction()).isEqualTo("http_request");
        assertThat(e.httpRequestMethod()).isEqualTo("GET");
        assertThat(e.urlDomain()).isEqualTo("evil.example");
        assertThat(e.urlOriginal()).isEqualTo("/payload.exe?x=1");
        assertThat(e.urlPath()).isEqualTo("/payload.exe");
        assertThat(e.urlQuery()).isEqualTo("x=1");
        assertThat(e.httpRequestReferrer()).isEqualTo("http://ref.example/");
        assertThat(e.httpVersion()).isEqualTo("1.1");
        assertThat(e.userAgentOriginal()).isEqualTo("Wget/1.21");
        assertThat(e.httpResponseStatusCode()).isEqualTo(404);
        assertThat(e.httpResponseBodyBytes()).isEqualTo(7168L);
        assertThat(e.userName()).isEqualTo("bob");
        assertThat(e.eventOutcome()).isEqualTo("failure");
        assertThat(e.eventType()).contains("access", "error");
        assertThat(e.fields()).containsEntry("zeek.http.resp_mime_types", "application/x-dosexec")
                .containsEntry("zeek.http.status_msg", "Not Found")
                .containsEntry("zeek.http.resp_fuids", "FmHWcO2PF9wbqM6cil");
        // credentials never become fields
        assertThat(e.fields()).doesNotContainKey("zeek.http.password").doesNotContainValue("secret");
    }

    @Test
    void kerberosRows() {
        String ok = "1692161647.516771\tCE5w9p2vqahtUxMkTj\t192.168.1.41\t55217\t192.168.1.4\t88\t-\t"
                + "stevie.marie/PANDALAB.COM\tkrbtgt/PANDALAB.COM\tT\t-\t-\t-\taes256-cts-hmac-sha1-96\t-\t-\t-\t-\t-\t-";
        SecurityEvent e = one(KERBEROS, ok);
        assertThat(e.eventDataset()).isEqualTo("zeek.kerberos");
        assertThat(e.eventAction()).isEqualTo("kerberos_request");
        assertThat(e.eventCategory()).containsExactly("network", "authentication");
        assertThat(e.userName()).isEqualTo("stevie.marie");
        assertThat(e.userDomain()).isEqualTo("PANDALAB.COM");
        assertThat(e.eventOutcome()).isEqualTo("success");
        assertThat(e.fields()).containsEntry("zeek.kerberos.service", "krbtgt/PANDALAB.COM")
                .containsEntry("zeek.kerberos.success", "T")
                .containsEntry("zeek.kerberos.cipher", "aes256-cts-hmac-sha1-96")
                .containsEntry("zeek.kerberos.client", "stevie.marie/PANDALAB.COM")
                .doesNotContainKey("zeek.kerberos.error_msg");

        String preauth = "1692161647.506749\tC9kgIj1Hnh6x9Wd8ak\t192.168.1.41\t55216\t192.168.1.4\t88\t-\t-\t"
                + "krbtgt/PANDALAB.COM\tF\tKDC_ERR_PREAUTH_REQUIRED\t-\t-\t-\t-\t-\t-\t-\t-\t-";
        SecurityEvent f = one(KERBEROS, preauth);
        assertThat(f.userName()).isNull();
        assertThat(f.eventOutcome()).isEqualTo("failure");
        assertThat(f.fields()).containsEntry("zeek.kerberos.error_msg", "KDC_ERR_PREAUTH_REQUIRED");

        String machine = ok.replace("stevie.marie/PANDALAB.COM", "MKT01$/PANDALAB.COM");
        assertThat(one(KERBEROS, machine).userName()).isEqualTo("MKT01$");
    }

    /** smb_files, the log SigmaHQ's zeek smb_files rules read (name, path): header as Zeek writes it. */
    @Test
    void smbFilesRow() {
        String h = header("smb_files", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tfuid\taction\tpath\tname\t"
                        + "size\tprev_name\ttimes.modified\ttimes.accessed\ttimes.created\ttimes.changed",
                "time\tstring\taddr\tport\taddr\tport\tstring\tenum\tstring\tstring\tcount\tstring\ttime\ttime\ttime\ttime");
        SecurityEvent e = one(h, "1692161622.25\tCs1\t10.0.0.5\t50123\t10.0.0.9\t445\tFk2\tSMB::FILE_WRITE\t"
                + "\\\\DC1\\ADMIN$\tPSEXESVC.exe\t381816\t-\t1692161622.0\t1692161622.0\t1692161622.0\t1692161622.0");
        assertThat(e.eventDataset()).isEqualTo("zeek.smb_files");
        assertThat(e.eventAction()).isEqualTo("smb_file_access");
        assertThat(e.destinationPort()).isEqualTo(445);
        assertThat(e.fields()).containsEntry("zeek.smb_files.name", "PSEXESVC.exe")
                .containsEntry("zeek.smb_files.path", "\\\\DC1\\ADMIN$")
                .containsEntry("zeek.smb_files.action", "SMB::FILE_WRITE")
                .containsEntry("zeek.smb_files.times.created", "1692161622.0")
                .containsEntry("file.name", "PSEXESVC.exe")
                .containsEntry("file.size", "381816")
                .containsEntry("network.protocol", "smb")
                .doesNotContainKey("zeek.smb_files.prev_name");
    }

    @Test
    void unknownPathGetsNoNamesFromTheLog() {
        String h = header("Evil.Log; DROP", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tinjected_name",
                "time\tstring\taddr\tport\taddr\tport\tstring");
        SecurityEvent e = one(h, "1692161622.5\tCx\t10.0.0.1\t1\t10.0.0.2\t2\tvalue");
        assertThat(e.eventDataset()).isEqualTo("zeek.unknown");
        assertThat(e.eventAction()).isNull();
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2023-08-16T04:53:42.5Z"));
        assertThat(e.fields()).containsOnlyKeys("zeek.session_id");
        assertThat(e.sourceIp()).isEqualTo("10.0.0.1");
    }

    @Test
    void columnsOffTheAllowListOfAKnownLogAreDropped() {
        String h = header("conn", "ts\tuid\tconn_state\tmy_custom_column", "time\tstring\tstring\tstring");
        SecurityEvent e = one(h, "1692161622\tCx\tS0\tsomething");
        assertThat(e.fields()).containsOnlyKeys("zeek.session_id", "zeek.conn.conn_state");
    }

    @Test
    void wrongFieldCount() {
        String tooFew = "1692161622.036086\tCnsu5m395zFmE9ikp4\t192.168.1.41\t52605";
        assertThat(decode(CONN, tooFew).error()).isEqualTo("Zeek row has 4 fields but #fields declares 21");
        String tooMany = "1692161622.036086\tC\t1.1.1.1\t1\t2.2.2.2\t2\tudp\tdns\t-\t-\t-\tSHR\tT\tT\t0\t^d\t0\t0\t1\t62\t-\textra";
        assertThat(decode(CONN, tooMany).error()).isEqualTo("Zeek row has 22 fields but #fields declares 21");
    }

    @Test
    void missingOrBrokenHeader() {
        String row = "1692161622.036086\tCnsu5m395zFmE9ikp4";
        assertThat(decoder.decode(RawRecord.of(row.getBytes(StandardCharsets.UTF_8), Origin.file("x.log", 1), Formats.ZEEK))
                .error()).contains("without its header");
        assertThat(decode("#separator \\x09\n#path\tconn", row).error()).isEqualTo("Zeek header has no #fields line");
        assertThat(decode("#fields\tts\tuid\nts uid", row).error()).contains("header line 2 does not start with '#'");
        assertThat(decode("#fields\tuid\tname", "Cx\ty").error()).isEqualTo("Zeek header has no ts field");
        assertThat(decode("#fields\tts\tuid", "-\tCx").error()).contains("ts is unset");
        assertThat(decode("#fields\tts\tuid", "yesterday\tCx").error()).contains("not epoch seconds");
        assertThat(decode(CONN, "#close\t2023-08-16-01-28-55").error()).contains("header line");
    }

    @Test
    void otherSeparatorFromTheHeader() {
        String h = "#separator ,\n#set_separator\t;\n#path,weird\n#fields,ts,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,name";
        SecurityEvent e = one(h, "1692161618.098276,-,192.168.1.41,0,239.255.255.250,0,bad_IP_checksum");
        assertThat(e.eventDataset()).isEqualTo("zeek.weird");
        assertThat(e.fields()).containsEntry("zeek.weird.name", "bad_IP_checksum").doesNotContainKey("zeek.session_id");
    }

    @Test
    void headerIsParsedOncePerText() {
        String row = "1692161622.036086\tC\t1.1.1.1\t1\t2.2.2.2\t2\tudp\tdns\t-\t-\t-\tSHR\tT\tT\t0\t^d\t0\t0\t1\t62\t-";
        // the same text in a new String instance hits the cache by equality; results stay identical
        SecurityEvent a = one(CONN, row);
        SecurityEvent b = one(new String(CONN.toCharArray()), row);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void everyPrefixOfARowDecodesOrFailsWithoutThrowing() {
        String row = "1692161647.516771\tCE5w9p2vqahtUxMkTj\t192.168.1.41\t55217\t192.168.1.4\t88\t-\t"
                + "stevie.marie/PANDALAB.COM\tkrbtgt/PANDALAB.COM\tT\t-\t-\t-\taes256-cts-hmac-sha1-96\t-\t-\t-\t-\t-\t-";
        // every prefix short of the last separator lacks columns (the one ending at it has an empty last column)
        for (int i = 0; i < row.length() - 1; i++) {
            DecodeResult r = decode(KERBEROS, row.substring(0, i));
            assertThat(r.ok()).as("prefix %d", i).isFalse();
            assertThat(r.error()).isNotNull();
        }
        for (int i = 0; i < KERBEROS.length(); i++) {
            DecodeResult r = decode(KERBEROS.substring(0, i), row);
            assertThat(r.ok() || r.error() != null).isTrue();
        }
    }
}
