package io.vigil.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContextUpdateTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void survivesTheTopicsJson() throws IOException {
        byte[] body = "type,value\nipv4-addr,203.0.113.7\n".getBytes(StandardCharsets.UTF_8);
        ContextUpdate u = new ContextUpdate("intel", "abuse-ch", "csv", "ana", T, body);

        ContextUpdate back = ContextUpdate.fromJson(u.toJson());

        assertThat(back.key()).isEqualTo("intel/abuse-ch");
        assertThat(back.format()).isEqualTo("csv");
        assertThat(back.actor()).isEqualTo("ana");
        assertThat(back.at()).isEqualTo(T);
        assertThat(back.body()).isEqualTo(body);
    }

    @Test
    void refusesWhatIsNotATable() {
        assertThatThrownBy(() -> new ContextUpdate("rules", "x", "csv", null, T, new byte[0]))
                .hasMessageContaining("kind must be one of");
        assertThatThrownBy(() -> new ContextUpdate("intel", "../etc", "csv", null, T, new byte[0]))
                .hasMessageContaining("a table name is");
        assertThatThrownBy(() -> new ContextUpdate("intel", "x", "xml", null, T, new byte[0]))
                .hasMessageContaining("format must be one of");
    }

    @Test
    void aRecordThatCannotBeReadSaysWhy() {
        assertThatThrownBy(() -> ContextUpdate.fromJson("{\"kind\":\"intel\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("missing name");
        assertThatThrownBy(() -> ContextUpdate.fromJson("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("a JSON object");
    }
}
