package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.webhook.WebhookReceiver;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 18's "no output of any test carries a seeded card number": a corpus seeded with card
 * numbers (four brands, plain, spaced and dashed, in a syslog message, a URL, a CloudTrail request
 * and a line that becomes a dead letter) and secrets (password= in a URL and on a command line,
 * an AssumeRole response's secretAccessKey and sessionToken, a password typed as user name in
 * failed sshd logins that make an alert) goes through {@code vigil replay} with detection,
 * incidents and a webhook to a loopback HTTP server. Every file written, every webhook body and
 * Vigil's log are scanned: no seeded value is found, and the masked forms are.
 */
class MaskingCorpusTest {

    private static final String VISA = "4111 1111 1111 1111";
    private static final String MASTERCARD = "5555-5555-5555-4444";
    private static final String AMEX = "378282246310005";
    private static final String DISCOVER = "6011111111111117";
    private static final String URL_PASSWORD = "UrlPass99x";
    private static final String COMMAND_PASSWORD = "S3cr3tCmd!";
    private static final String DEAD_PASSWORD = "DeadPass1x";
    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCySEEDKEY";
    private static final String AWS_TOKEN = "IQoJb3JpZ2luX2VjSEEDTOKEN";
    private static final String TYPED_PASSWORD = "Winter2026#";
    private static final String FORM_CARD = "4111+1111+1111+1111";
    private static final String ENV_PASSWORD = "RootPass7x";
    private static final String URL_TOKEN = "ghp_SEEDTOKEN42";

    /** Each seed in the forms it could leave in: as written, digits only, JSON-escaped. */
    private static final List<String> SEEDS = List.of(VISA, VISA.replace(" ", ""), MASTERCARD,
            MASTERCARD.replace("-", ""), AMEX, DISCOVER, URL_PASSWORD, COMMAND_PASSWORD, DEAD_PASSWORD, AWS_SECRET,
            AWS_SECRET.replace("/", "\\/"), AWS_TOKEN, TYPED_PASSWORD, FORM_CARD, ENV_PASSWORD, URL_TOKEN);

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private final StringWriter printed = new StringWriter();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final LoggerContext logs = (LoggerContext) LogManager.getContext(false);

    @BeforeEach
    void start() throws Exception {
        receiver = WebhookReceiver.start(ReplayWebhookTest.SECRET);
        // all of Vigil's log at DEBUG, rendered by the tests' stderr layout (%safe)
        Configuration config = logs.getConfiguration();
        Appender capture = new AbstractAppender("masking-corpus", null,
                config.<Appender>getAppender("stderr").getLayout(), true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(new String(getLayout().toByteArray(event), StandardCharsets.UTF_8));
            }
        };
        capture.start();
        LoggerConfig vigil = new LoggerConfig("io.vigil", Level.DEBUG, false);
        vigil.addAppender(capture, Level.DEBUG, null);
        config.addLogger("io.vigil", vigil);
        logs.updateLoggers();
    }

    @AfterEach
    void stop() {
        logs.getConfiguration().removeLogger("io.vigil");
        logs.updateLoggers();
        receiver.close();
    }

    private Path write(String name, List<String> lines) throws IOException {
        Path p = dir.resolve("in").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private void corpus() throws IOException {
        List<String> auth = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            auth.add(String.format("Nov 20 09:10:%02d bastion sshd[4150]: Failed password for invalid user %s from "
                    + "203.0.113.45 port %d ssh2", 7 + 4 * i, TYPED_PASSWORD, 52210 + i));
        }
        auth.add("Nov 20 09:30:00 bastion sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; "
                + "COMMAND=/usr/bin/mysql --user=root --password=" + COMMAND_PASSWORD + " shop");
        auth.add("Nov 20 09:31:00 bastion shop[77]: payment declined for card " + VISA + " (customer 42)");
        auth.add("Nov 20 09:32:00 bastion deploy[78]: POST /pay card=" + FORM_CARD + " env MYSQL_ROOT_PASSWORD="
                + ENV_PASSWORD + " repo https://ci:" + URL_TOKEN + "@github.com/acme/app.git");
        auth.add("this is no syslog: card " + MASTERCARD + " password=" + DEAD_PASSWORD);
        write("auth.log", auth);
        write("access.log", List.of("203.0.113.7 - - [10/Oct/2023:13:55:02 +0000] \"GET /index.php?id=1%27%20or%201=1--"
                + "&pan=" + AMEX + "&password=" + URL_PASSWORD + " HTTP/1.1\" 200 2326 \"-\" \"curl/8.0\""));
        write("cloudtrail.json", List.of("{\"Records\":[{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
                + "\"principalId\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:user/dev\",\"accountId\":"
                + "\"111122223333\",\"userName\":\"dev\"},\"eventTime\":\"2024-03-01T12:02:00Z\",\"eventSource\":"
                + "\"sts.amazonaws.com\",\"eventName\":\"AssumeRole\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":"
                + "\"198.51.100.20\",\"userAgent\":\"aws-cli/2.15\",\"requestParameters\":{\"roleArn\":"
                + "\"arn:aws:iam::111122223333:role/Admin\",\"roleSessionName\":\"pay " + DISCOVER + "\"},"
                + "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIAEXAMPLEKEY123456\",\"secretAccessKey\":\""
                + AWS_SECRET + "\",\"sessionToken\":\"" + AWS_TOKEN + "\",\"expiration\":\"Mar 1, 2024 1:02:00 PM\"}},"
                + "\"recipientAccountId\":\"111122223333\",\"eventID\":\"EV-MASK-1\"}]}"));
    }

    @Test
    void noSeededCardNumberOrSecretLeavesByAnyPath() throws Exception {
        corpus();
        Path out = dir.resolve("out");
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(printed, true));
        int exit = cl.execute("replay", "--quiet", "--year", "2024", "--out", out.toString(),
                "--webhook", receiver.url("/hooks/mask"), dir.resolve("in").toString());
        assertThat(exit).as(printed.toString()).isZero();

        Map<String, String> outputs = new TreeMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                outputs.put(out.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        List<String> bodies = receiver.received().stream().map(WebhookReceiver.Received::body).toList();
        // the run made what the scan needs: events, a dead letter, alerts, incidents, webhook requests
        assertThat(outputs.keySet()).contains("events.ndjson", "dead-letters.ndjson", "alerts.ndjson",
                "incidents.ndjson", "timeline.ndjson", "deliveries.ndjson", "summary.json");
        assertThat(bodies).isNotEmpty();
        JsonNode summary = EcsJson.MAPPER.readTree(outputs.get("summary.json"));
        assertThat(summary.at("/byFormat").toString()).contains("syslog").contains("access").contains("cloudtrail");
        assertThat(summary.get("deadLetters").asLong()).isEqualTo(1);

        // every leak at once: which seed, where
        List<String> leaks = new ArrayList<>();
        for (String seed : SEEDS) {
            outputs.forEach((file, text) -> {
                if (text.contains(seed)) {
                    leaks.add(seed + " in " + file);
                }
            });
            for (int i = 0; i < bodies.size(); i++) {
                if (bodies.get(i).contains(seed)) {
                    leaks.add(seed + " in webhook body " + i);
                }
            }
            if (logged.stream().anyMatch(line -> line.contains(seed))) {
                leaks.add(seed + " in the log");
            }
            if (printed.toString().contains(seed)) {
                leaks.add(seed + " printed");
            }
        }
        assertThat(leaks).isEmpty();

        // and what was there is there, masked
        String events = outputs.get("events.ndjson");
        assertThat(events).contains("4111 11** **** 1111").contains("378282*****0005").contains("601111******1117")
                .contains("password=[masked]").contains("--password=[masked]")
                .contains("\\\"secretAccessKey\\\":\\\"[masked]\\\"").contains("\\\"sessionToken\\\":\\\"[masked]\\\"")
                .contains("invalid user [masked] from 203.0.113.45").contains("PWD=/home/alice")
                .contains("card=4111+11**+****+1111").contains("MYSQL_ROOT_PASSWORD=[masked]")
                .contains("https://ci:[masked]@github.com/acme/app.git");
        assertThat(outputs.get("dead-letters.ndjson")).contains("5555-55**-****-4444").contains("password=[masked]");
        assertThat(outputs.get("alerts.ndjson")).contains("\"[masked]\"");
        assertThat(String.join("\n", bodies)).contains("[masked]");
        assertThat(summary.get("masked").get("card").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(summary.get("masked").get("secret-parameter").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(summary.get("masked").get("cloud-secret").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(summary.get("masked").get("password-user-name").asLong()).isGreaterThanOrEqualTo(6);
    }
}
