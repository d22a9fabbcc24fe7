package io.vigil.formats.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.Datasets;
import io.vigil.formats.Formats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FormatDetectorTest {

    @ParameterizedTest
    @CsvSource({
        "loghub/OpenSSH_2k.log, syslog",
        "loghub/Linux_2k.log, syslog",
        "elastic-examples-apache-access/apache_logs, access",
        "otrf-security-datasets/windows/purplesharp_ad_playbook_I_2020-10-22042947.security_system.json, windows",
        "otrf-security-datasets/windows/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json, windows",
        "otrf-security-datasets/aws/ec2_proxy_s3_exfiltration_2020-09-14011940.json, cloudtrail",
        "otrf-security-datasets/zeek/LSASS_campaign_01/conn.log, zeek",
        "otrf-security-datasets/zeek/LSASS_campaign_01/kerberos.log, zeek",
        "sigmahq-rules/regression_data/rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.json, windows",
        "sigmahq-rules/regression_data/rules/windows/builtin/wmi/win_wmi_activity_nteventlogfile_cleareventlog/d4f1a2b3-7c8e-4d5f-b6a9-1e0c2d3f4e5b.json, windows",
    })
    void detectsTheFormatOfEachRealDataset(String file, String format) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(Datasets.file(file))) {
            head = in.readNBytes(Framers.PEEK_BYTES);
        }
        assertThat(FormatDetector.detect(head)).isEqualTo(format);
    }

    @Test
    void rfc5424EcsAndUnknownInput() {
        assertThat(FormatDetector.detect(bytes("<34>1 2024-01-02T03:04:05Z host sshd 12 - - Failed password\n")))
                .isEqualTo(Formats.SYSLOG);
        assertThat(FormatDetector.detect(bytes("{\"@timestamp\":\"2024-01-02T03:04:05Z\",\"event\":{}}\n")))
                .isEqualTo(Formats.ECS);
        assertThat(FormatDetector.detect(bytes("hello world\nthis is not a log\n"))).isNull();
        assertThat(FormatDetector.detect(bytes("{\"Records\":[{\"eventName\":\"x\"}]}"))).isEqualTo(Formats.CLOUDTRAIL);
    }

    /** evtx_dump's JSON: pretty-printed documents one after another (its default), or one per line (jsonl). */
    @Test
    void evtxDumpDocumentsAreWindowsPrettyOrOnePerLine() {
        String line = "{\"Event\":{\"#attributes\":{\"xmlns\":\"x\"},\"System\":{\"Provider\":{\"#attributes\":"
                + "{\"Name\":\"Microsoft-Windows-Sysmon\"}},\"EventID\":11,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"},"
                + "\"EventData\":{\"Image\":\"C:\\\\x.exe\"}}}";
        assertThat(FormatDetector.detect(bytes(line + "\n" + line + "\n"))).isEqualTo(Formats.WINDOWS);
        assertThat(FormatDetector.detect(bytes("{\n  \"Event\": {\n    \"System\": {\n      \"Channel\": \"Security\"\n"))).isEqualTo(Formats.WINDOWS);
        // evtx_dump -o json without --dont-show-record-number
        assertThat(FormatDetector.detect(bytes("Record 1\n{\n  \"Event\": {\n    \"System\": {\n"))).isEqualTo(Formats.WINDOWS);
        // an object named Event that is not an event's XML is not taken for one
        assertThat(FormatDetector.detect(bytes("{\"Event\":{\"name\":\"party\"}}\n"))).isNull();
        // nor are the words as values of a pretty-printed ECS document
        assertThat(FormatDetector.detect(bytes("{\n  \"@timestamp\": \"2024-01-02T03:04:05Z\",\n  \"label\": \"Event\",\n"
                + "  \"origin\": \"System\"\n}\n"))).isEqualTo(Formats.ECS);
    }

    @Test
    void zeekJsonLogsTaggedOrNot() {
        // LogAscii::use_json=T: one entry per line, Zeek's column names as keys
        assertThat(FormatDetector.detect(bytes("{\"ts\":1692161622.036086,\"uid\":\"Cnsu5m395zFmE9ikp4\","
                + "\"id.orig_h\":\"192.168.1.41\",\"id.orig_p\":52605,\"proto\":\"tcp\"}\n{\"ts\":1692161623.0}\n")))
                .isEqualTo(Formats.ZEEK);
        // JSON::TS_ISO8601 and a pipeline's _path
        assertThat(FormatDetector.detect(bytes("{\"_path\":\"dns\",\"ts\":\"2023-08-16T04:53:42.036086Z\",\"uid\":\"C1\"}\n")))
                .isEqualTo(Formats.ZEEK);
        // zeek-kafka's tag_json, as a consumer dumps a topic to a file
        assertThat(FormatDetector.detect(bytes("{\"conn\": {\"ts\":1692161622.036086,\"uid\":\"C1\"},\"SENSOR\":\"a\"}\n")))
                .isEqualTo(Formats.ZEEK);
        assertThat(FormatDetector.detect(bytes("{\"conn\": {\"uid\":\"C1\"}}\n"))).isNull();
        assertThat(FormatDetector.detect(bytes("{\"@timestamp\":\"2024-01-02T03:04:05Z\",\"ts\":1.5}\n")))
                .isEqualTo(Formats.ECS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
