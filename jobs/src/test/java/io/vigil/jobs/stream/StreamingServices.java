package io.vigil.jobs.stream;

import io.vigil.connectors.elasticsearch.LocalElasticsearch;
import io.vigil.connectors.kafka.LocalKafka;
import io.vigil.rules.RuleSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.elasticsearch.client.RestClient;

/**
 * The real Kafka broker and Elasticsearch node of this module's streaming tests: started once,
 * on first use, shared by the test classes, stopped when the test JVM exits.
 */
final class StreamingServices {

    static final LocalKafka KAFKA;
    static final LocalElasticsearch ES;
    static final RestClient REST;
    static final RuleSet RULES;

    static {
        KAFKA = LocalKafka.start();
        try {
            ES = LocalElasticsearch.builder().build().start();
        } catch (IOException e) {
            KAFKA.close();
            throw new UncheckedIOException(e);
        }
        REST = RestClient.builder(org.apache.http.HttpHost.create(ES.url())).build();
        RULES = RuleSet.packaged();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                REST.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            ES.close();
            KAFKA.close();
        }, "stop-streaming-services"));
    }

    private StreamingServices() {}
}
