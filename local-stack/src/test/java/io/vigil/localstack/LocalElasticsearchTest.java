package io.vigil.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalElasticsearchTest {

    @Test
    void aMissingNetworkNamesTheUrlAndTheCachePath(@TempDir Path cache) throws IOException {
        String url = "http://127.0.0.1:1/elasticsearch.zip";
        assertThatThrownBy(() -> LocalElasticsearch.ensureDistribution(cache, url))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(url)
                .hasMessageContaining(cache.resolve("elasticsearch-" + LocalElasticsearch.VERSION + ".zip").toString());
        // nothing half-downloaded is left in the cache
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void builderRefusesNonsense() {
        assertThatThrownBy(() -> LocalElasticsearch.builder().heap("lots").build()).hasMessageContaining("heap");
        assertThatThrownBy(() -> LocalElasticsearch.builder().httpPort(70000).build()).hasMessageContaining("httpPort");
    }
}
