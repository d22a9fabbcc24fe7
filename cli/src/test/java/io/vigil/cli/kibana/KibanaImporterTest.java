package io.vigil.cli.kibana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The import request, its endpoint and what Kibana's answers become. */
class KibanaImporterTest {

    private static final byte[] NDJSON = "{\"type\":\"index-pattern\",\"id\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void theEndpointKeepsABasePathAndNamesTheSpace() {
        assertThat(KibanaImporter.importUri(URI.create("https://kibana.example:5601/kibana/"), null))
                .hasToString("https://kibana.example:5601/kibana/api/saved_objects/_import?overwrite=true");
        assertThat(KibanaImporter.importUri(URI.create("http://localhost:5601"), "soc"))
                .hasToString("http://localhost:5601/s/soc/api/saved_objects/_import?overwrite=true");
        assertThatThrownBy(() -> KibanaImporter.importUri(URI.create("http://localhost:5601"), "../x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Kibana space id");
    }

    @Test
    void theFileIsTheOnlyPartOfAMultipartForm() throws Exception {
        try (RecordingKibana kibana = new RecordingKibana().answer(200, "{\"success\":true,\"successCount\":1}")) {
            ImportResult result = new KibanaImporter(URI.create(kibana.url()), null, Optional.empty(), Duration.ofSeconds(5))
                    .importObjects("objects.ndjson", NDJSON);

            assertThat(result).isEqualTo(new ImportResult(true, 1, java.util.List.of()));
            RecordingKibana.Request request = kibana.requests().get(0);
            String contentType = request.header("Content-Type");
            assertThat(contentType).startsWith("multipart/form-data; boundary=");
            String boundary = contentType.substring(contentType.indexOf('=') + 1);
            assertThat(request.bodyText()).isEqualTo("--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"objects.ndjson\"\r\n"
                    + "Content-Type: application/ndjson\r\n\r\n"
                    + new String(NDJSON, StandardCharsets.UTF_8)
                    + "\r\n--" + boundary + "--\r\n");
        }
    }

    @Test
    void aSilentKibanaTimesOut() throws Exception {
        try (RecordingKibana kibana = new RecordingKibana().holdAnswers()) {
            KibanaImporter importer = new KibanaImporter(URI.create(kibana.url()), null, Optional.empty(),
                    Duration.ofMillis(300));

            assertThatThrownBy(() -> importer.importObjects("objects.ndjson", NDJSON))
                    .isInstanceOf(KibanaException.class)
                    .hasMessage("Kibana at " + kibana.url() + " did not answer within 300 ms");
        }
    }

    @Test
    void aBodyThatIsNotAnImportResultIsReported() throws Exception {
        try (RecordingKibana kibana = new RecordingKibana().answer(200, "<html>a proxy login page</html>")) {
            KibanaImporter importer = new KibanaImporter(URI.create(kibana.url()), null, Optional.empty(),
                    Duration.ofSeconds(5));

            assertThatThrownBy(() -> importer.importObjects("objects.ndjson", NDJSON))
                    .isInstanceOf(KibanaException.class)
                    .hasMessageContaining("not an import result").hasMessageContaining("a proxy login page");
        }
    }

    @Test
    void aHugeHostileAnswerIsLoggedBoundedAndEscaped() throws Exception {
        String page = "<html>\r\n12:00:00.000 INFO  KibanaImporter - all clear\u001b]0;pwned\u0007" + "x".repeat(1_000_000);
        try (RecordingKibana kibana = new RecordingKibana().answer(200, page);
             CapturedLog log = new CapturedLog(KibanaImporter.class, org.apache.logging.log4j.Level.DEBUG)) {
            KibanaImporter importer = new KibanaImporter(URI.create(kibana.url()), null, Optional.empty(),
                    Duration.ofSeconds(5));

            assertThatThrownBy(() -> importer.importObjects("objects.ndjson", NDJSON))
                    .isInstanceOf(KibanaException.class).hasMessageContaining("not an import result");
            String answered = log.lines().stream().filter(l -> l.contains("Kibana answered HTTP 200")).findFirst()
                    .orElseThrow();
            // the length alone: a failure message holding a megabyte helps nobody
            assertThat(answered.length()).as("length of the logged line")
                    .isLessThan(KibanaImporter.LOGGED_BODY_CHARS + 200);
            assertThat(answered).endsWith(System.lineSeparator())
                    .contains("<html>\\r\\n12:00:00.000 INFO  KibanaImporter - all clear\\u001b]0;pwned\\u0007xxx")
                    .contains("... (" + (page.length() - KibanaImporter.LOGGED_BODY_CHARS) + " more chars)");
            assertThat(answered.strip()).doesNotContain("\r", "\n", "\u001b");
        }
    }

    @Test
    void errorsNameTheObjectAndWhatIsMissing() throws Exception {
        ImportResult result = ImportResult.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"success":false,"successCount":1,"errors":[
                  {"id":"vigil-top-rules","type":"lens","meta":{"title":"Top rules"},
                   "error":{"type":"missing_references","references":[{"type":"index-pattern","id":"vigil-alerts"}]}},
                  {"id":"vigil-soc","type":"dashboard","title":"Vigil SOC","error":{"type":"unknown","message":"boom"}}]}
                """));

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).map(ImportError::describe).containsExactly(
                "lens vigil-top-rules (Top rules): missing_references index-pattern vigil-alerts",
                "dashboard vigil-soc (Vigil SOC): unknown: boom");
    }
}
