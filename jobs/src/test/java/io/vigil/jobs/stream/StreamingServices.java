package io.vigil.jobs.stream;

import io.vigil.localstack.LocalElasticsearch;
import io.vigil.localstack.LocalKafka;
import io.vigil.rules.verify.RuleSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.elasticsearch.client.RestClient;

/**
 * The real Kafka broker and Elasticsearch node of this module's streaming tests: started once,
 * on first use, shared by the test classes, stopped when the test JVM exits.
 */
public final class StreamingServices {

    public static final LocalKafka KAFKA;
    public static final LocalElasticsearch ES;
    public static final RestClient REST;
    public static final RuleSet RULES;

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
