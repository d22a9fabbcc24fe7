package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.context.FirstSeenKeyState;
import io.vigil.model.EcsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Bytes per value a first-seen rule remembers ({@code FirstSeenFunction}'s state), written with
 * the state's own serializers as a full snapshot of the heap backend writes them: per key, the key
 * (rule id and key tuple), the key's POJO, and its map of value tuple to last-seen time. Shapes of
 * the packaged rules: country codes per user, parent executables per host.
 *
 * <p>Arguments: {@code KEYS VALUES_PER_KEY [--json FILE]}.
 */
public final class FirstSeenFootprint {

    private FirstSeenFootprint() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = BenchJson.mutable(argv);
        Path json = BenchJson.jsonPath(args);
        int keys = Integer.parseInt(args.get(0));
        int perKey = Integer.parseInt(args.get(1));
        ObjectNode out = BenchJson.object();
        out.set("machine", BenchJson.machine());
        out.put("keys", keys);
        out.put("values_per_key", perKey);
        out.put("method", "state serializers, as a heap-backend full snapshot writes them");
        out.set("country_per_user", measure(keys, perKey, "first-country-for-user/", "user-", i -> "2:" + country(i)));
        out.set("parent_per_host", measure(keys, perKey, "new-parent-process-for-host/", "ws-",
                i -> encoded("c:\\program files\\vendor" + i + "\\bin\\updater-service-" + i + ".exe")));
        System.out.println(out.toPrettyString());
        if (json != null) {
            Files.writeString(json, EcsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        }
    }

    private static ObjectNode measure(int keys, int perKey, String rulePrefix, String keyPrefix,
                                      java.util.function.IntFunction<String> value) throws Exception {
        TypeSerializer<FirstSeenKeyState> pojo = TypeInformation.of(FirstSeenKeyState.class)
                .createSerializer(new SerializerConfigImpl());
        MapSerializer<String, Long> map = new MapSerializer<>(StringSerializer.INSTANCE, LongSerializer.INSTANCE);
        DataOutputSerializer buffer = new DataOutputSerializer(1 << 16);
        long total = 0;
        long valueBytes = 0;
        for (int k = 0; k < keys; k++) {
            String key = keyPrefix + k;
            buffer.clear();
            StringSerializer.INSTANCE.serialize(rulePrefix + encoded(key), buffer);
            FirstSeenKeyState s = new FirstSeenKeyState();
            s.learningStart = 1_714_550_400_000L;
            s.lastActivity = s.learningStart + k;
            s.count = perKey;
            s.cleanupAt = s.learningStart + 30L * 86_400_000L;
            pojo.serialize(s, buffer);
            int fixed = buffer.length();
            Map<String, Long> values = new HashMap<>();
            for (int v = 0; v < perKey; v++) {
                values.put(value.apply(k * 31 + v), s.learningStart + v);
            }
            map.serialize(values, buffer);
            total += buffer.length();
            valueBytes += buffer.length() - fixed;
        }
        ObjectNode r = BenchJson.object();
        r.put("total_bytes", total);
        r.put("bytes_per_value_all_in", (double) total / ((long) keys * perKey));
        r.put("bytes_per_value_map_only", (double) valueBytes / ((long) keys * perKey));
        r.put("bytes_per_key_fixed", (double) (total - valueBytes) / keys);
        return r;
    }

    private static String country(int i) {
        return "" + (char) ('A' + i % 26) + (char) ('A' + (i / 26) % 26);
    }

    private static String encoded(String v) {
        return v.length() + ":" + v;
    }
}
