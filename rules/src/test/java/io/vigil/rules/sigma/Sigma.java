package io.vigil.rules.sigma;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleSource;
import io.vigil.rules.SigmaMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Compiles Sigma text and runs it on hand-built events (tests). */
final class Sigma {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";

    private Sigma() {}

    static CompiledSigma compile(String... files) {
        List<RuleSource> sources = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            sources.add(new RuleSource("test/rule" + i + ".yml", files[i]));
        }
        return (CompiledSigma) new SigmaRuleCompiler().compile(sources);
    }

    /** The hits of {@code event}, failing on any rule failure. */
    static List<RuleHit> hits(CompiledSigma set, SecurityEvent event) {
        SigmaMatcher m = set.newMatcher();
        List<RuleHit> hits = new ArrayList<>();
        m.evaluate(event, id -> true, hits, (id, t) -> {
            throw new AssertionError("rule " + id + " failed", t);
        });
        return hits;
    }

    /** A Sysmon process creation (event 1) with EventData fields as name, value pairs. */
    static SecurityEvent sysmon(int eventId, String... data) {
        SecurityEvent.Builder b = windows(SYSMON, eventId);
        for (int i = 0; i < data.length; i += 2) {
            b.field("winlog.event_data." + data[i], data[i + 1]);
        }
        return b.build();
    }

    static SecurityEvent.Builder windows(String channel, int eventId) {
        return SecurityEvent.builder().timestamp(T0).origin(Origin.file("test.json", 1))
                .eventCode(Integer.toString(eventId)).hostName("ws1")
                .field("winlog.channel", channel).field("winlog.event_id", Integer.toString(eventId))
                .field("winlog.computer_name", "ws1");
    }

    /** A detection rule for Sysmon process creation with the given detection (YAML, indented 4). */
    static String processRule(String id, String detection) {
        return """
                title: Test %s
                id: %s
                logsource:
                    product: windows
                    category: process_creation
                detection:
                %s
                level: high
                """.formatted(id, id, detection.indent(4).stripTrailing());
    }
}
