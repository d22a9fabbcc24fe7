package io.vigil.bench;

import io.vigil.simulate.HostileCorpus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the streaming job reads the hostile corpus: one Kafka topic per corpus format
 * ({@code hostile.raw.zeek-json} is read as {@code zeek}, like {@code hostile.raw.zeek}, whose rows
 * get the corpus's Zeek conn header through {@code kafka.zeek-headers}). The same settings serve the
 * job and the per-kind costs, so both decode each record the same way.
 */
final class HostileTopics {

    static final String PREFIX = "hostile.raw.";

    /** The largest record a raw topic takes: the corpus's megabyte records go through, and reach the decoder's limit. */
    static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

    private HostileTopics() {}

    /** The topic of corpus format {@code format}. */
    static String topic(String format) {
        return topic(PREFIX, format);
    }

    /** The topic of corpus format {@code format} among the topics named {@code prefix<format>}. */
    static String topic(String prefix, String format) {
        HostileCorpus.vigilFormat(format); // refuses a format the corpus has not
        return prefix + format;
    }

    /** Every raw topic named {@code prefix<format>}, in the corpus's format order. */
    static List<String> all(String prefix) {
        return HostileCorpus.FILES.keySet().stream().map(f -> topic(prefix, f)).toList();
    }

    /** {@code kafka.topics} and the Zeek TSV topic's {@code kafka.zeek-headers}: the keys that read the corpus. */
    static Map<String, String> settings() {
        return settings(PREFIX);
    }

    /** {@link #settings()} for the topics named {@code prefix<format>}. */
    static Map<String, String> settings(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.topics", HostileCorpus.FILES.keySet().stream()
                .map(f -> topic(prefix, f) + ":" + HostileCorpus.vigilFormat(f)).collect(Collectors.joining(",")));
        m.put("kafka.zeek-headers." + topic(prefix, HostileCorpus.ZEEK), HostileCorpus.ZEEK_CONN_HEADER);
        return m;
    }
}
