package io.vigil.formats.cloudtrail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.EcsJson;
import org.junit.jupiter.api.Test;

/** When the streamed path is taken, and when the decoder falls back to a tree. */
class CloudTrailEventReaderTest {

    private final CloudTrailEventReader reader = new CloudTrailEventReader(EcsJson.MAPPER);

    private CloudTrailEvent read(String json) {
        return reader.read(json.getBytes(UTF_8));
    }

    @Test
    void anEventObjectIsStreamed() {
        CloudTrailEvent e = read("{\"eventName\":\"GetObject\",\"readOnly\":true,\"errorCode\":\"\","
                + "\"userIdentity\":{\"type\":\"AssumedRole\",\"sessionContext\":{\"sessionIssuer\":{\"userName\":\"R\"}}},"
                + "\"requestParameters\":{\"bucketName\":\"b\"},\"responseElements\":null,\"other\":[1,{\"x\":2}]}");
        assertThat(e).isNotNull();
        assertThat(e.text("eventName")).isEqualTo("GetObject");
        assertThat(e.text("readOnly")).isEqualTo("true");
        assertThat(e.text("errorCode")).isNull();
        assertThat(e.identity("type")).isEqualTo("AssumedRole");
        assertThat(e.issuer("userName")).isEqualTo("R");
        assertThat(e.hasAttributes()).isFalse();
        assertThat(e.json("requestParameters").toString()).isEqualTo("{\"bucketName\":\"b\"}");
        assertThat(e.json("responseElements")).isNull();
    }

    @Test
    void whatOnlyTheTreePathDecidesIsLeftToIt() {
        assertThat(read("{\"Records\":[]}")).isNull();
        assertThat(read("{\"eventName\":\"X\",\"Records\":[]}")).isNull();
        assertThat(read("{\"eventName\":42}")).isNull();
        assertThat(read("{\"userIdentity\":{\"accountId\":111122223333}}")).isNull();
        assertThat(read("{\"eventName\":\"X\"")).isNull();
        assertThat(read("{\"eventName\":\"X\"} {}")).isNull();
        assertThat(read("[1]")).isNull();
        assertThat(read("")).isNull();
    }
}
