package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.EcsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures of sections run at different times ({@code --only}) are named as such, and the
 * pipeline-to-decode ratio says when its two figures come from different runs.
 */
class VigilBenchStampsTest {

    @TempDir
    Path root;

    private static ObjectNode summary(String decodeAt, String replayAt) throws Exception {
        Map<String, JsonNode> details = new LinkedHashMap<>();
        details.put("decode", EcsJson.MAPPER.readTree("{\"syslog\": {\"median\": 500000}}"));
        details.put("replay", EcsJson.MAPPER.readTree("{\"pipeline_eps\": 250000}"));
        ObjectNode s = VigilBench.summarize(details, false);
        s.putObject("sections_measured_at").put("decode", decodeAt).put("replay", replayAt);
        return s;
    }

    @Test
    void aRatioOfFiguresFromDifferentRunsSaysSo() throws Exception {
        String t = VigilBench.table(summary("2026-12-07T18:00:00Z", "2026-12-07T16:00:00Z"));
        assertThat(t).contains("Figures of sections run separately: replay at 2026-12-07T16:00:00Z; "
                + "decode at 2026-12-07T18:00:00Z;");
        assertThat(t).contains("| ≥ 0.5× decode only | 0.50× (decode and replay from different runs) |");
    }

    @Test
    void oneRunGivesAPlainRatio() throws Exception {
        String t = VigilBench.table(summary("2026-12-07T18:00:00Z", "2026-12-07T18:00:00Z"));
        assertThat(t).doesNotContain("run separately").contains("| ≥ 0.5× decode only | 0.50× |");
    }

    @Test
    void regeneratingTheTableKeepsEachSectionsTime() throws Exception {
        Files.createDirectories(root.resolve("bench"));
        ObjectNode before = summary("2026-12-07T18:00:00Z", "2026-12-07T16:00:00Z");
        Files.writeString(root.resolve("bench/results.json"), before.toString());
        VigilBench.main(new String[] {"--root", root.toString(), "--only", "none"});
        JsonNode after = EcsJson.MAPPER.readTree(root.resolve("bench/results.json").toFile());
        assertThat(after.path("sections_measured_at")).isEqualTo(before.path("sections_measured_at"));
    }
}
