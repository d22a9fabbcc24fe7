package io.vigil.rules.sigma;

import static io.vigil.rules.sigma.Sigma.sysmon;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.Datasets;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleSource;
import io.vigil.rules.SigmaMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The literal index only skips rules an event cannot match: with it and without it, the SigmaHQ
 * Windows rules give the same hits; and Aho-Corasick finds exactly the literals a naive search
 * finds.
 */
class LiteralIndexTest {

    @Test
    void ahoCorasickFindsExactlyTheLiteralsThatOccur() {
        Random random = new Random(15);
        for (int round = 0; round < 200; round++) {
            List<String> literals = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                literals.add(word(random, 1 + random.nextInt(4)));
            }
            String text = word(random, random.nextInt(60));
            Set<Integer> found = new TreeSet<>();
            new AhoCorasick(literals).find(text, found::add);
            Set<Integer> expected = new TreeSet<>();
            for (int i = 0; i < literals.size(); i++) {
                if (text.contains(literals.get(i))) {
                    expected.add(i);
                }
            }
            assertThat(found).as("%s in %s", literals, text).isEqualTo(expected);
        }
    }

    private static String word(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append("abc\\é😀".charAt(random.nextInt(6)));
        }
        return s.toString();
    }

    @Test
    void theIndexGivesTheSameHitsAsRunningEveryRule() throws Exception {
        List<RuleSource> sources = RuleSource.loadSigma(
                Datasets.root().resolve("sigmahq-rules/rules/windows"), "sigmahq");
        CompiledSigma set = (CompiledSigma) new SigmaRuleCompiler().compile(sources);
        List<SecurityEvent> events = List.of(
                sysmon(1, "Image", "C:\\Windows\\System32\\whoami.exe", "OriginalFileName", "whoami.exe",
                        "CommandLine", "whoami /priv", "ParentImage", "C:\\Windows\\System32\\cmd.exe"),
                // a rule that needs no literal (an image without a known extension): always a candidate
                sysmon(1, "Image", "C:\\Users\\x\\payload.jpg", "ParentImage", "C:\\Windows\\explorer.exe"),
                sysmon(1, "Image", "C:\\Users\\x\\mimikatz.exe", "CommandLine", "mimikatz sekurlsa::logonpasswords exit"),
                sysmon(1, "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                        "OriginalFileName", "PowerShell.EXE", "CommandLine",
                        "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA"),
                sysmon(1, "Image", "C:\\Windows\\System32\\cmd.exe", "CommandLine", "cmd /c echo 😈 > x"),
                sysmon(1, "Image", "C:\\Windows\\System32\\rundll32.exe", "CommandLine",
                        "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\lsass.dmp full"),
                sysmon(13, "TargetObject", "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\DisableRestrictedAdmin",
                        "Details", "DWORD (0x00000000)", "EventType", "SetValue", "Image", "C:\\Windows\\regedit.exe"),
                sysmon(11, "TargetFilename", "C:\\Windows\\Temp\\lsass.dmp", "Image", "C:\\Windows\\System32\\rundll32.exe"),
                Sigma.windows("Security", 1102).build(),
                Sigma.windows("Security", 4720).field("winlog.event_data.TargetUserName", "backdoor$").build(),
                Sigma.windows("System", 7045).field("winlog.event_data.ImagePath", "%COMSPEC% /c whoami")
                        .field("winlog.event_data.ServiceName", "x").field("winlog.provider_name",
                                "Service Control Manager").build());
        int total = 0;
        for (SecurityEvent e : events) {
            List<String> indexed = run(set.newMatcher(), e);
            List<String> all = run(set.newUnindexedMatcher(), e);
            assertThat(indexed).as("hits of %s", e.fields()).isEqualTo(all);
            total += all.size();
        }
        assertThat(total).as("the events match some SigmaHQ rules").isGreaterThanOrEqualTo(events.size());
    }

    private static List<String> run(SigmaMatcher m, SecurityEvent e) {
        List<RuleHit> hits = new ArrayList<>();
        m.evaluate(e, id -> true, hits, (id, t) -> {
            throw new AssertionError(id, t);
        });
        return hits.stream().map(RuleHit::ruleId).sorted().toList();
    }
}
