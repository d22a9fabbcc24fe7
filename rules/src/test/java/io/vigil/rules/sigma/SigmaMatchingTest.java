package io.vigil.rules.sigma;

import static io.vigil.rules.sigma.Sigma.compile;
import static io.vigil.rules.sigma.Sigma.hits;
import static io.vigil.rules.sigma.Sigma.processRule;
import static io.vigil.rules.sigma.Sigma.sysmon;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.SecurityEvent;
import io.vigil.rules.SigmaStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Each modifier and condition form: an event that must match and one that must not. */
class SigmaMatchingTest {

    private static boolean matches(String detection, SecurityEvent event) {
        CompiledSigma set = compile(processRule("r1", detection));
        assertThat(set.statuses()).allSatisfy(s -> assertThat(s.state()).as(s.toString())
                .isEqualTo(SigmaStatus.State.COMPILED));
        return !hits(set, event).isEmpty();
    }

    private static SecurityEvent cmd(String commandLine) {
        return sysmon(1, "Image", "C:\\Windows\\System32\\cmd.exe", "CommandLine", commandLine, "User", "CORP\\alice");
    }

    @ParameterizedTest(name = "{0} on ''{1}'' -> {2}")
    @CsvSource(delimiter = ';', value = {
        // plain values: equal, case-insensitive
        "sel:\\n    CommandLine: 'whoami /all'\\ncondition: sel; WHOAMI /ALL; true",
        "sel:\\n    CommandLine: 'whoami /all'\\ncondition: sel; whoami /all extra; false",
        "sel:\\n    CommandLine|contains: 'mimikatz'\\ncondition: sel; run MimiKatz.exe now; true",
        "sel:\\n    CommandLine|contains: 'mimikatz'\\ncondition: sel; run mimi.exe; false",
        "sel:\\n    CommandLine|startswith: 'net '\\ncondition: sel; NET user; true",
        "sel:\\n    CommandLine|startswith: 'net '\\ncondition: sel; xnet user; false",
        "sel:\\n    CommandLine|endswith: '.ps1'\\ncondition: sel; a\\b.PS1; true",
        "sel:\\n    CommandLine|endswith: '.ps1'\\ncondition: sel; a.ps1x; false",
        "sel:\\n    CommandLine|contains|all: ['-nop', 'hidden']\\ncondition: sel; x -nop -w hidden; true",
        "sel:\\n    CommandLine|contains|all: ['-nop', 'hidden']\\ncondition: sel; x -nop; false",
        "sel:\\n    CommandLine|cased: 'Run'\\ncondition: sel; Run; true",
        "sel:\\n    CommandLine|cased: 'Run'\\ncondition: sel; run; false",
        // wildcards and their escapes
        "sel:\\n    CommandLine: 'a*c?e'\\ncondition: sel; aXXcDe; true",
        "sel:\\n    CommandLine: 'a*c?e'\\ncondition: sel; aXXce; false",
        "sel:\\n    CommandLine: 'a\\*b'\\ncondition: sel; a*b; true",
        "sel:\\n    CommandLine: 'a\\*b'\\ncondition: sel; axxb; false",
        "sel:\\n    CommandLine: 'what\\?'\\ncondition: sel; what?; true",
        "sel:\\n    CommandLine: 'what\\?'\\ncondition: sel; whatx; false",
        // re with flags (RE2/J)
        "sel:\\n    CommandLine|re: 'ab+c'\\ncondition: sel; xxabbbcxx; true",
        "sel:\\n    CommandLine|re: 'ab+c'\\ncondition: sel; ABBC; false",
        "sel:\\n    CommandLine|re|i: 'ab+c'\\ncondition: sel; ABBC; true",
        "sel:\\n    CommandLine|re|m: '^b$'\\ncondition: sel; a\\nb\\nc; true",
        "sel:\\n    CommandLine|re: '^b$'\\ncondition: sel; a\\nb\\nc; false",
        "sel:\\n    CommandLine|re|s: 'a.b'\\ncondition: sel; a\\nb; true",
        "sel:\\n    CommandLine|re: 'a.b'\\ncondition: sel; a\\nb; false",
        // windash: any of - / – — ― before an option
        "sel:\\n    CommandLine|windash|contains: ' -enc '\\ncondition: sel; powershell /enc AAA; true",
        "sel:\\n    CommandLine|windash|contains: ' -enc '\\ncondition: sel; powershell \u2013enc AAA; true",
        "sel:\\n    CommandLine|windash|contains: ' -enc '\\ncondition: sel; powershell \u2014enc x; true",
        "sel:\\n    CommandLine|windash|contains: ' -enc '\\ncondition: sel; powershell -encx; false",
        "sel:\\n    CommandLine|windash|contains: ' -enc '\\ncondition: sel; powershell -enc x; true",
        "sel:\\n    CommandLine|windash|contains: ' -enc '\\ncondition: sel; powershell \u2015enc x; true",
        "sel:\\n    CommandLine|windash|contains: ' -enc '\\ncondition: sel; powershell +enc x; false",
        // conditions
        "a:\\n    CommandLine|contains: 'x'\\nb:\\n    CommandLine|contains: 'y'\\ncondition: a and not b; x; true",
        "a:\\n    CommandLine|contains: 'x'\\nb:\\n    CommandLine|contains: 'y'\\ncondition: a and not b; xy; false",
        "a:\\n    CommandLine|contains: 'x'\\nb:\\n    CommandLine|contains: 'y'\\ncondition: a or b; y; true",
        "a:\\n    CommandLine|contains: 'x'\\nb:\\n    CommandLine|contains: 'y'\\ncondition: a or b; z; false",
        "a:\\n    CommandLine|contains: 'x'\\nb:\\n    CommandLine|contains: 'y'\\nc:\\n    CommandLine|contains: 'z'\\ncondition: a and (b or c); xz; true",
        "a:\\n    CommandLine|contains: 'x'\\nb:\\n    CommandLine|contains: 'y'\\nc:\\n    CommandLine|contains: 'z'\\ncondition: (a and b) or c; xq; false",
        "sel_a:\\n    CommandLine|contains: 'x'\\nsel_b:\\n    CommandLine|contains: 'y'\\ncondition: 1 of sel_*; y; true",
        "sel_a:\\n    CommandLine|contains: 'x'\\nsel_b:\\n    CommandLine|contains: 'y'\\ncondition: 1 of sel_*; q; false",
        "sel_a:\\n    CommandLine|contains: 'x'\\nsel_b:\\n    CommandLine|contains: 'y'\\ncondition: all of sel_*; xy; true",
        "sel_a:\\n    CommandLine|contains: 'x'\\nsel_b:\\n    CommandLine|contains: 'y'\\ncondition: all of sel_*; x; false",
        "a:\\n    CommandLine|contains: 'x'\\nb:\\n    CommandLine|contains: 'y'\\ncondition: 1 of them; y; true",
        "a:\\n    CommandLine|contains: 'x'\\nb:\\n    CommandLine|contains: 'y'\\ncondition: all of them; y; false",
        "a:\\n    CommandLine|contains: 'x'\\n_b:\\n    CommandLine|contains: 'y'\\ncondition: all of them; x; true",
        // lists are OR, maps are AND, lists of maps OR
        "sel:\\n    CommandLine|contains: ['x', 'y']\\ncondition: sel; y; true",
        "sel:\\n    CommandLine|contains: 'x'\\n    User|endswith: 'bob'\\ncondition: sel; x; false",
        "sel:\\n    CommandLine|contains: 'x'\\n    User|endswith: 'alice'\\ncondition: sel; x; true",
        "sel:\\n    - CommandLine: 'q'\\n    - User|endswith: 'alice'\\ncondition: sel; x; true",
        "sel:\\n    - CommandLine: 'q'\\n    - User|endswith: 'bob'\\ncondition: sel; x; false",
        // null and empty values, exists
        "sel:\\n    OriginalFileName: null\\ncondition: sel; x; true",
        "sel:\\n    CommandLine: null\\ncondition: sel; x; false",
        "sel:\\n    OriginalFileName: ''\\ncondition: sel; x; true",
        "sel:\\n    CommandLine|exists: true\\ncondition: sel; x; true",
        "sel:\\n    OriginalFileName|exists: true\\ncondition: sel; x; false",
        "sel:\\n    OriginalFileName|exists: false\\ncondition: sel; x; true",
        // fieldref
        "sel:\\n    CommandLine|fieldref: Image\\ncondition: sel; c:\\windows\\system32\\CMD.exe; true",
        "sel:\\n    CommandLine|fieldref: Image\\ncondition: sel; cmd.exe; false",
        // neq
        "sel:\\n    CommandLine|neq: 'x'\\ncondition: sel; y; true",
        "sel:\\n    CommandLine|neq: 'x'\\ncondition: sel; X; false",
        // keywords: anywhere in the event's text (event.original, message)
        "keywords:\\n    - 'secret'\\ncondition: keywords; x; true",
        "keywords:\\n    - 'nothere'\\ncondition: keywords; x; false",
        "keywords:\\n    '|all':\\n        - 'secret'\\n        - 'stuff'\\ncondition: keywords; x; true",
        "keywords:\\n    '|all':\\n        - 'secret'\\n        - 'nothere'\\ncondition: keywords; x; false",
    })
    void modifiersAndConditions(String detection, String commandLine, boolean expected) {
        String yaml = detection.replace("\\n", "\n");
        String line = commandLine.replace("\\n", "\n");
        SecurityEvent e = cmd(line).toBuilder().message("the secret stuff").build();
        assertThat(matches(yaml, e)).as(yaml + "\non: " + line).isEqualTo(expected);
    }

    @Test
    void numbersCompareNumericallyWithTheEventValue() {
        SecurityEvent e = Sigma.windows("Security", 4720).field("winlog.event_data.KeyLength", "0128").build();
        String rule = """
                title: numbers
                id: n1
                logsource: {product: windows, service: security}
                detection:
                    sel:
                        EventID: 4720
                        KeyLength|gte: 128
                        KeyLength|lt: 129
                    condition: sel
                """;
        assertThat(hits(compile(rule), e)).hasSize(1);
        assertThat(hits(compile(rule.replace("4720", "4721")), e)).isEmpty();
        assertThat(hits(compile(rule.replace("gte: 128", "gt: 128")), e)).isEmpty();
        assertThat(hits(compile(rule.replace("lt: 129", "lte: 127")), e)).isEmpty();
        // equality with a number: leading zeros and a sign do not matter, other text does
        String eq = rule.replace("KeyLength|gte: 128", "KeyLength: 128");
        assertThat(hits(compile(eq), e)).hasSize(1);
        assertThat(hits(compile(eq), e.toBuilder().field("winlog.event_data.KeyLength", "+128").build())).hasSize(1);
        assertThat(hits(compile(eq), e.toBuilder().field("winlog.event_data.KeyLength", "1280").build())).isEmpty();
        assertThat(hits(compile(eq), e.toBuilder().field("winlog.event_data.KeyLength", "128 bits").build())).isEmpty();
    }

    @Test
    void cidrMatchesIpv4AndIpv6Networks() {
        String rule = """
                title: cidr
                id: c1
                logsource: {product: windows, category: network_connection}
                detection:
                    sel:
                        DestinationIp|cidr: ['10.0.0.0/8', 'fd00::/8']
                    condition: sel
                """;
        CompiledSigma set = compile(rule);
        assertThat(hits(set, sysmon(3, "DestinationIp", "10.20.30.40"))).hasSize(1);
        assertThat(hits(set, sysmon(3, "DestinationIp", "fd12:3456::1"))).hasSize(1);
        assertThat(hits(set, sysmon(3, "DestinationIp", "11.0.0.1"))).isEmpty();
        assertThat(hits(set, sysmon(3, "DestinationIp", "fe80::1"))).isEmpty();
        assertThat(hits(set, sysmon(3, "DestinationIp", "not-an-ip.example"))).isEmpty();
    }

    @Test
    void base64AndUtf16EncodeTheValueBeforeMatching() {
        String plain = "IEX (New-Object Net.WebClient)";
        String wide = Base64.getEncoder().encodeToString(("xx" + plain + "yy").getBytes(StandardCharsets.UTF_16LE));
        String utf8 = Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        assertThat(matches("sel:\n    CommandLine|base64: '" + plain + "'\ncondition: sel", cmd(utf8))).isTrue();
        assertThat(matches("sel:\n    CommandLine|base64: '" + plain + "'\ncondition: sel", cmd(wide))).isFalse();
        assertThat(matches("sel:\n    CommandLine|wide|base64offset|contains: '" + plain + "'\ncondition: sel",
                cmd("powershell -enc " + wide))).isTrue();
        assertThat(matches("sel:\n    CommandLine|base64offset|contains: '" + plain + "'\ncondition: sel",
                cmd("powershell -enc " + wide))).isFalse();
        for (int shift = 0; shift < 3; shift++) {
            String encoded = Base64.getEncoder().encodeToString(("abc".substring(0, shift) + plain + "tail")
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(matches("sel:\n    CommandLine|base64offset|contains: '" + plain + "'\ncondition: sel",
                    cmd("x " + encoded))).as("shift " + shift).isTrue();
        }
        String be = Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_16BE));
        assertThat(matches("sel:\n    CommandLine|utf16be|base64: '" + plain + "'\ncondition: sel", cmd(be))).isTrue();
        byte[] body = plain.getBytes(StandardCharsets.UTF_16LE);
        byte[] bom = new byte[body.length + 2];
        bom[0] = (byte) 0xFF;
        bom[1] = (byte) 0xFE;
        System.arraycopy(body, 0, bom, 2, body.length);
        String withBom = Base64.getEncoder().encodeToString(bom);
        assertThat(matches("sel:\n    CommandLine|utf16|base64: '" + plain + "'\ncondition: sel", cmd(withBom))).isTrue();
        assertThat(matches("sel:\n    CommandLine|utf16le|base64: '" + plain + "'\ncondition: sel", cmd(withBom))).isFalse();
    }

    @Test
    void expandReplacesPlaceholdersWithTheValuesOfAVigilPlaceholdersDocument() {
        String placeholders = """
                vigil-placeholders:
                    admins: ['root', 'adm_*']
                """;
        String rule = processRule("e1", "sel:\n    User|expand|endswith: '\\\\%admins%'\ncondition: sel");
        CompiledSigma set = compile(placeholders, rule);
        assertThat(hits(set, sysmon(1, "User", "CORP\\adm_bob"))).hasSize(1);
        assertThat(hits(set, sysmon(1, "User", "CORP\\root"))).hasSize(1);
        assertThat(hits(set, sysmon(1, "User", "CORP\\alice"))).isEmpty();
        CompiledSigma without = compile(rule);
        assertThat(without.statuses().get(0).state()).isEqualTo(SigmaStatus.State.UNSUPPORTED);
        assertThat(without.statuses().get(0).reason()).contains("%admins%");
    }

    @Test
    void security4688IsProcessCreationWithItsOwnFieldNames() {
        CompiledSigma set = compile(processRule("p1",
                "sel:\n    Image|endswith: '\\\\whoami.exe'\n    ParentImage|endswith: '\\\\cmd.exe'\ncondition: sel"));
        SecurityEvent security = Sigma.windows("Security", 4688)
                .field("winlog.event_data.NewProcessName", "C:\\Windows\\System32\\whoami.exe")
                .field("winlog.event_data.ParentProcessName", "C:\\Windows\\System32\\cmd.exe").build();
        assertThat(hits(set, security)).hasSize(1);
        assertThat(hits(set, sysmon(1, "Image", "C:\\x\\whoami.exe", "ParentImage", "C:\\x\\cmd.exe"))).hasSize(1);
        // same fields, another log source: not selected
        assertThat(hits(set, sysmon(11, "Image", "C:\\x\\whoami.exe", "ParentImage", "C:\\x\\cmd.exe"))).isEmpty();
    }

    @Test
    void registryDeleteIsSysmonTwelveDeletingAKeyOrAValue() {
        CompiledSigma set = compile("""
                title: reg delete
                id: rd1
                logsource: {product: windows, category: registry_delete}
                detection:
                    sel:
                        TargetObject|endswith: '\\LsaCfgFlags'
                    condition: sel
                """);
        String key = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\LsaCfgFlags";
        assertThat(hits(set, sysmon(12, "EventType", "DeleteValue", "TargetObject", key))).hasSize(1);
        assertThat(hits(set, sysmon(12, "EventType", "DeleteKey", "TargetObject", key))).hasSize(1);
        assertThat(hits(set, sysmon(12, "EventType", "CreateKey", "TargetObject", key))).isEmpty();
        assertThat(hits(set, sysmon(13, "EventType", "DeleteValue", "TargetObject", key))).isEmpty();
    }

    @Test
    void zeekLogsAreServicesWithTheirColumnsAndTheWebServerNames() {
        String smb = """
                title: smb
                id: z1
                logsource: {product: zeek, service: smb_files}
                detection:
                    sel:
                        path|endswith: '\\ADMIN$'
                        name: 'psexesvc.exe'
                    condition: sel
                """;
        String http = """
                title: http
                id: z2
                logsource: {product: zeek, service: http}
                detection:
                    sel:
                        c-useragent|contains: 'curl'
                        method: PUT
                    condition: sel
                """;
        CompiledSigma set = compile(smb, http);
        assertThat(set.statuses()).allSatisfy(st -> assertThat(st.state()).as(st.toString())
                .isEqualTo(SigmaStatus.State.COMPILED));
        SecurityEvent.Builder smbEvent = SecurityEvent.builder().timestamp(Sigma.T0)
                .origin(io.vigil.model.Origin.file("smb_files.log", 1)).eventModule("zeek")
                .eventDataset("zeek.smb_files").field("zeek.smb_files.path", "\\\\dc1\\ADMIN$");
        assertThat(hits(set, smbEvent.field("zeek.smb_files.name", "PSEXESVC.exe").build())).hasSize(1);
        assertThat(hits(set, smbEvent.field("zeek.smb_files.name", "other.exe").build())).isEmpty();
        SecurityEvent.Builder httpEvent = SecurityEvent.builder().timestamp(Sigma.T0)
                .origin(io.vigil.model.Origin.file("http.log", 1)).eventModule("zeek").eventDataset("zeek.http")
                .userAgentOriginal("curl/8.0");
        assertThat(hits(set, httpEvent.httpRequestMethod("PUT").build())).hasSize(1);
        assertThat(hits(set, httpEvent.httpRequestMethod("GET").build())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "sel:\\n    CommandLine|re: '(?<=a)b'\\ncondition: sel; RE2/J cannot run",
        "sel:\\n    CommandLine|re: '(a)\\1'\\ncondition: sel; RE2/J cannot run",
        "sel:\\n    CommandLine|frobnicate: 'x'\\ncondition: sel; unknown modifier 'frobnicate'",
        "sel:\\n    CommandLine: 'x'\\ncondition: sel and other; does not define",
        "sel:\\n    CommandLine: 'x'\\ncondition: (sel; not closed",
        "sel:\\n    CommandLine: 'x'; condition",
    })
    void badRulesAreProblemsNamingTheReason(String detection, String reason) {
        CompiledSigma set = compile(processRule("bad-1", detection.replace("\\n", "\n")));
        assertThat(set.statuses()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(SigmaStatus.State.PROBLEM);
            assertThat(s.reason()).contains(reason);
            assertThat(s.ruleId()).isEqualTo("bad-1");
        });
        assertThat(set.problems()).singleElement().satisfies(p -> assertThat(p.ruleId()).isEqualTo("bad-1"));
        assertThat(set.rules()).isEmpty();
    }
}
