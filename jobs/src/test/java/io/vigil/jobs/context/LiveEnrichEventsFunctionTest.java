package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.context.ContextUpdate;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Live tables in the enrichment: an update replaces its table, a bad one is refused, a restore has them again. */
class LiveEnrichEventsFunctionTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static SecurityEvent event(String host, long line) {
        return SecurityEvent.builder().timestamp(T).hostName(host).origin(Origin.file("auth.log", line)).build();
    }

    private static ContextUpdate assets(String body) {
        return new ContextUpdate("assets", "cmdb", "csv", "ana", T, body.getBytes(StandardCharsets.UTF_8));
    }

    private static BroadcastOperatorTestHarness<SecurityEvent, ContextUpdate, SecurityEvent> harness(
            OperatorSubtaskState restore) throws Exception {
        BroadcastOperatorTestHarness<SecurityEvent, ContextUpdate, SecurityEvent> h = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(new LiveEnrichEventsFunction(List.of(new HostsByUpdate(
                        Map.of("db1", "low")))), List.of(ContextParts.TABLES)), 1, 1, 0);
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static List<String> criticality(BroadcastOperatorTestHarness<SecurityEvent, ContextUpdate, SecurityEvent> h) {
        return h.extractOutputValues().stream().map(e -> String.valueOf(e.field("host.asset.criticality"))).toList();
    }

    @Test
    void anUpdateReplacesTheTableAndARestoreHasItBeforeItsFirstEvent() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            h.processElement(event("db1", 1), 1);
            h.processBroadcastElement(assets("db1=critical\nweb2=high"), 2);
            h.processElement(event("db1", 2), 3);
            h.processElement(event("web2", 3), 4);
            assertThat(criticality(h)).containsExactly("low", "critical", "high");
            snapshot = h.snapshot(1, 5);
        }
        try (var restored = harness(snapshot)) {
            restored.processElement(event("web2", 4), 6);
            assertThat(criticality(restored)).containsExactly("high");
        }
    }

    @Test
    void anUnreadableUpdateIsRefusedAndTheTableInForceKept() throws Exception {
        try (var h = harness(null)) {
            h.processBroadcastElement(assets("db1=critical"), 1);
            h.processBroadcastElement(assets("no equals sign here"), 2);
            h.processElement(event("db1", 1), 3);
            assertThat(criticality(h)).containsExactly("critical");
            // the refused update is not kept for a restore either
            assertThat(h.getBroadcastState(ContextParts.TABLES).get("assets/cmdb").body())
                    .isEqualTo("db1=critical".getBytes(StandardCharsets.UTF_8));
        }
    }
}
