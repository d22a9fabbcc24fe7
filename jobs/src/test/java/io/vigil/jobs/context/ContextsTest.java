package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.context.assets.AssetsSource;
import io.vigil.context.intel.IntelSource;
import org.junit.jupiter.api.Test;

/** Which parts and detections a configuration gives. */
class ContextsTest {

    private static final ContextFeed FEED = env -> {
        throw new AssertionError("not opened here");
    };

    @Test
    void withoutFilesOrFeedNoTableIsOpenedAndADecodeOnlyJobHasNoContextStage() {
        // the packaged first-seen rules need no table: a detecting job has them whatever the files
        assertThat(Contexts.settings(ContextConfig.DEFAULTS, null, true).sources()).isEmpty();
        assertThat(Contexts.settings(ContextConfig.DEFAULTS, null, false).isEmpty()).isTrue();
    }

    @Test
    void aFeedAloneGivesLiveTablesAPartToLandIn() {
        ContextSettings s = Contexts.settings(ContextConfig.DEFAULTS, FEED, true);

        assertThat(s.sources()).hasAtLeastOneElementOfType(IntelSource.class)
                .hasAtLeastOneElementOfType(AssetsSource.class);
        assertThat(s.alerts()).hasAtLeastOneElementOfType(IntelAlerts.class);
    }

    @Test
    void withoutDetectionThereAreNoContextDetections() {
        assertThat(Contexts.settings(ContextConfig.DEFAULTS, FEED, false).alerts()).isEmpty();
    }
}
