package io.vigil.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pins the complete output of a decoder: for each case, every event as ECS JSON (so every field,
 * {@code event.original} included) or the failure reason. Cases are compared with a file under
 * {@code src/test/resources/golden/}; records of the shared datasets are pinned by SHA-256
 * digests of the same text (a few sampled records one by one, and the whole file), as the datasets
 * are never copied into the project. Run with {@code -Dvigil.golden.update=true} to rewrite the files from the
 * current decoder (only after checking that a change of output is intended).
 */
final class GoldenOutput {

    private static final boolean UPDATE = Boolean.getBoolean("vigil.golden.update");

    private final String name;
    private final Map<String, String> actual = new LinkedHashMap<>();

    GoldenOutput(String name) {
        this.name = name;
    }

    /** The whole outcome of decoding one record, as text. */
    static String render(DecodeResult r) {
        if (!r.ok()) {
            return "FAIL " + r.error();
        }
        List<String> docs = new ArrayList<>();
        for (SecurityEvent e : r.events()) {
            docs.add(EcsJson.write(e));
        }
        return String.join("\n", docs);
    }

    void add(String key, DecodeResult r) {
        if (actual.put(key, oneLine(render(r))) != null) {
            throw new IllegalArgumentException("duplicate golden key " + key);
        }
    }

    /**
     * Adds one entry holding the digest of all records of a file, and one per sampled record with
     * the digest of its output, so a change shows which kinds of record it touches.
     */
    void addDataset(Decoder decoder, String format, String relative, int samplesPerKind,
                    java.util.function.Function<DecodeResult, String> kind) {
        byte[] all;
        try {
            all = Files.readAllBytes(Datasets.file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MessageDigest sha = sha256();
        Map<String, Integer> seen = new LinkedHashMap<>();
        int line = 0;
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i > start) { // as the framer does, an empty last line is no record
                    line++;
                    byte[] bytes = java.util.Arrays.copyOfRange(all, start, i);
                    DecodeResult r = decoder.decode(RawRecord.of(bytes, Origin.file(relative, line), format));
                    String text = render(r);
                    sha.update(text.getBytes(UTF_8));
                    sha.update((byte) '\n');
                    String k = kind.apply(r);
                    if (seen.merge(k, 1, Integer::sum) <= samplesPerKind) {
                        // a digest, not the output: the shared datasets are never copied into the project,
                        // and event.original would be a copy of the record
                        actual.put(relative + ":" + line + " (sha256)", digest(text));
                    }
                }
                start = i + 1;
            }
        }
        actual.put(relative + " (all " + line + " records, sha256)", HexFormat.of().formatHex(sha.digest()));
    }

    /** Compares with the golden file, or rewrites it under {@code -Dvigil.golden.update=true}. */
    void verify() throws IOException {
        StringBuilder sb = new StringBuilder();
        actual.forEach((k, v) -> sb.append("## ").append(k).append('\n').append(v).append('\n'));
        Path file = Datasets.checkoutRoot().resolve("formats/src/test/resources/golden/" + name + ".txt");
        if (UPDATE) {
            Files.writeString(file, sb.toString(), UTF_8);
            return;
        }
        assertThat(file).as("golden file; create it with -Dvigil.golden.update=true").exists();
        Map<String, String> expected = parse(Files.readString(file, UTF_8));
        assertThat(actual.keySet()).as("cases of %s", name).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(actual.get(e.getKey())).as("output of case %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** The file holds "## key" lines, each followed by one line of value (newlines escaped). */
    private static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i + 1 < lines.length; i += 2) {
            if (!lines[i].startsWith("## ")) {
                throw new IllegalStateException("golden file out of step at line " + (i + 1));
            }
            m.put(lines[i].substring(3), lines[i + 1]);
        }
        return m;
    }

    /** One line per value, so that a reason or an original with line breaks cannot break the file. */
    private static String oneLine(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String digest(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
