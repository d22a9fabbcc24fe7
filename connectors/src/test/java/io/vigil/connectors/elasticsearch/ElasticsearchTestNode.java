package io.vigil.connectors.elasticsearch;

import io.vigil.localstack.LocalElasticsearch;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one real Elasticsearch node of this module's test run: started on first use, shared by all
 * test classes (surefire runs them in one JVM), stopped by a JVM shutdown hook.
 */
final class ElasticsearchTestNode {

    private static LocalElasticsearch node;
    private static long startMillis;

    private ElasticsearchTestNode() {}

    static synchronized LocalElasticsearch get() {
        if (node == null) {
            LocalElasticsearch n = LocalElasticsearch.builder().build();
            long t0 = System.nanoTime();
            try {
                n.start();
            } catch (IOException e) {
                n.close();
                throw new UncheckedIOException(e);
            }
            startMillis = (System.nanoTime() - t0) / 1_000_000;
            System.err.println("[test] Elasticsearch " + LocalElasticsearch.VERSION + " started at " + n.url()
                    + " in " + startMillis + " ms");
            Runtime.getRuntime().addShutdownHook(new Thread(n::close, "stop-test-elasticsearch"));
            node = n;
        }
        return node;
    }

    static ElasticsearchConnection connection() {
        return ElasticsearchConnection.of(get().url());
    }

    /** A new client; close it. */
    static ElasticsearchClient client() {
        return connection().client();
    }
}
