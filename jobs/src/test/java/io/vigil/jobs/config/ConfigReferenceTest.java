package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.Datasets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** {@code docs/configuration.md} is what the typed options say, and says all of it. */
class ConfigReferenceTest {

    @Test
    void theCommittedReferenceIsTheGeneratedOne() throws Exception {
        Path committed = Datasets.checkoutRoot().resolve(ConfigReference.FILE);
        assertThat(committed).as("%s is missing; write it with: %s", ConfigReference.FILE, ConfigReference.REGENERATE)
                .isRegularFile();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .as("%s differs from the configuration options; write it again with: %s", ConfigReference.FILE,
                        ConfigReference.REGENERATE)
                .isEqualTo(ConfigReference.markdown());
    }

    @Test
    void everyKeyIsListedWithItsTypeDefaultAndMeaning() {
        String md = ConfigReference.markdown();
        for (ConfigOption<?> o : VigilOptions.all()) {
            assertThat(md).contains("| `" + o.key() + "` | ");
        }
        for (ConfigOption<?> o : WebhookOptions.all()) {
            assertThat(md).contains("| `" + o.key() + "` | ");
        }
        assertThat(md).doesNotContain("## Other")
                .contains("| `detection.out-of-orderness` | duration | `500ms` | How late events may arrive")
                .contains("| `kafka.bootstrap-servers` | string | required | ")
                .contains("| `state.backend` | one of: hashmap, rocksdb | `hashmap` | ")
                .contains("| `detection.max-event-age` | duration | `30d` | ")
                .contains("| `incidents.window` | duration | `24h` | ")
                .contains("| `urgent-reserve` | number | `0.1` | ")
                .contains("| `send` | list | `[alerts]` | ")
                .contains("| `kafka.topics` | map | `{vigil.raw.access: access, vigil.raw.cloudtrail: cloudtrail, ");
    }

    @Test
    void durationsAreWrittenAsInTheExampleFiles() {
        assertThat(ConfigReference.duration(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(ConfigReference.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(ConfigReference.duration(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(ConfigReference.duration(Duration.ofHours(24))).isEqualTo("24h");
        assertThat(ConfigReference.duration(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(ConfigReference.duration(Duration.ZERO)).isEqualTo("0s");
    }
}
