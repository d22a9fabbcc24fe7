package io.vigil.formats.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.EcsJson;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JSON buffer grows as escapes take more room than their characters, whatever the mix. */
class JsonBytesTest {

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacter() throws Exception {
        JsonBytes out = new JsonBytes();
        out.string("a\ud800b");
        assertThat(EcsJson.MAPPER.readTree(out.toBytes()).asText()).isEqualTo("a\ufffdb");
    }

    @Test
    void stringsOfEveryKindOfCharacterReadBackTheSame() throws Exception {
        Random random = new Random(5);
        String alphabet = "ab\"\\\n\t\u0001\u007f\u00e9\u20ac\ud83d\ude00x";
        JsonBytes out = new JsonBytes();
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(20_000);
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(alphabet.length());
                char c = alphabet.charAt(k);
                if (Character.isLowSurrogate(c)) {
                    continue; // only ever after its high surrogate
                }
                sb.append(c);
                if (Character.isHighSurrogate(c)) {
                    sb.append(alphabet.charAt(k + 1));
                }
            }
            String s = sb.toString();
            out.reset();
            out.string(s);
            assertThat(EcsJson.MAPPER.readTree(out.toBytes()).asText()).isEqualTo(s);
            out.reset();
            byte[] utf16 = s.getBytes(StandardCharsets.UTF_16LE);
            out.utf16String(utf16, 0, utf16.length / 2);
            assertThat(EcsJson.MAPPER.readTree(out.toBytes()).asText()).isEqualTo(s);
        }
    }
}
