package io.vigil.cli.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Metric ids are asked for a few at a time: Flink's REST API answered a {@code get=} list of about
 * 35 ids (2,600 characters) with an empty array, which made {@code vigil status} see no metric at all
 * (ClusterCommandTest found it on a real cluster).
 */
class FlinkRestChunksTest {

    @Test
    void longListsAreSplitIntoShortRequestsKeepingEveryIdOnceInOrder() {
        List<String> ids = IntStream.range(0, 35)
                .mapToObj(i -> "alerts_to_elasticsearch__Writer.vigil.output.alerts.elasticsearchRetries" + i).toList();
        List<List<String>> chunks = FlinkRest.chunks(ids);
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks).allSatisfy(c -> assertThat(String.join(",", c).length()).isLessThanOrEqualTo(FlinkRest.MAX_GET_CHARS));
        List<String> flat = new ArrayList<>();
        chunks.forEach(flat::addAll);
        assertThat(flat).isEqualTo(ids);
    }

    @Test
    void aShortListIsOneRequestAndNothingIsNone() {
        assertThat(FlinkRest.chunks(List.of("a.pendingRecords", "b.x"))).containsExactly(List.of("a.pendingRecords", "b.x"));
        assertThat(FlinkRest.chunks(List.of())).isEmpty();
    }
}
