package io.vigil.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the control topic's records say about the live and shadow slots and the versions a rollback can reach. */
class ControlHistoryTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static ControlRecord record(String kind, String slot, String version, int minute) {
        Instant at = AT.plusSeconds(60L * minute);
        return ControlRecord.of(kind, slot, version, "alice", at, at, "clear".equals(kind) ? null : new byte[] {1});
    }

    @Test
    void theShadowIsTheNewestPushToShadowNotClearedSince() {
        ControlRecord live = record("push", ControlRecord.LIVE, "1.0.0", 0);
        ControlRecord shadow = record("push", ControlRecord.SHADOW, "1.1.0", 1);
        ControlHistory h = new ControlHistory(List.of(live, shadow));
        assertThat(h.live()).contains(live);
        assertThat(h.shadow()).contains(shadow);

        ControlRecord promote = record("promote", ControlRecord.LIVE, "1.1.0", 2);
        ControlRecord clear = record("clear", ControlRecord.SHADOW, "1.1.0", 2);
        h = new ControlHistory(List.of(live, shadow, promote, clear));
        assertThat(h.live()).contains(promote);
        assertThat(h.shadow()).isEmpty();

        ControlRecord again = record("push", ControlRecord.SHADOW, "1.2.0", 3);
        h = new ControlHistory(List.of(live, shadow, promote, clear, again));
        assertThat(h.shadow()).contains(again);
    }

    @Test
    void versionsAndBundlesComeFromEveryRecordCarryingABundle() {
        ControlRecord v1 = record("push", ControlRecord.LIVE, "1.0.0", 0);
        ControlRecord v2 = record("push", ControlRecord.SHADOW, "2.0.0", 1);
        ControlRecord clear = record("clear", ControlRecord.SHADOW, "2.0.0", 2);
        ControlRecord back = record("rollback", ControlRecord.LIVE, "1.0.0", 3);
        ControlHistory h = new ControlHistory(List.of(v1, v2, clear, back));
        assertThat(h.versions()).containsExactly("1.0.0", "2.0.0");
        assertThat(h.bundleOf("2.0.0")).contains(v2);
        assertThat(h.bundleOf("1.0.0")).contains(back);
        assertThat(h.bundleOf("3.0.0")).isEmpty();
        assertThat(h.liveNewestFirst()).containsExactly(back, v1);
        assertThat(new ControlHistory(List.of()).live()).isEmpty();
    }
}
