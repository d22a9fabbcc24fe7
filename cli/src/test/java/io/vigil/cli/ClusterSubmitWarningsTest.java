package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil cluster submit} says, before it talks to the cluster, what {@code vigil run} says about
 * the configuration's connections: credentials that would travel in clear, secrets this machine lacks.
 */
class ClusterSubmitWarningsTest {

    @TempDir
    Path dir;

    @Test
    void credentialsInClearAreWarnedBeforeTheClusterIsAsked() throws Exception {
        Path config = Files.writeString(dir.resolve("vigil.yaml"), """
                kafka.bootstrap-servers: "kafka-1.soc.example:9092"
                kafka.security-protocol: "SASL_PLAINTEXT"
                kafka.sasl-mechanism: "SCRAM-SHA-512"
                kafka.username: "vigil"
                kafka.password-env: "VIGIL_TEST_ABSENT_KAFKA_PASSWORD"
                elasticsearch.urls: "http://es.soc.example:9200"
                checkpoints.dir: "%s"
                """.formatted(dir.resolve("chk").toUri()));
        Path jar = Files.writeString(dir.resolve("job.jar"), "not read: the cluster does not answer");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("cluster", "submit", "--config", config.toString(), "--jar", jar.toString(),
                "--rest", "http://127.0.0.1:" + closed);

        assertThat(code).as("nothing answers on the port").isNotZero();
        assertThat(err.toString())
                .contains("warning: Kafka: the SASL SCRAM-SHA-512 login of user 'vigil' travels without TLS")
                .contains("warning: Kafka: ")
                .contains("VIGIL_TEST_ABSENT_KAFKA_PASSWORD");
        assertThat(out.toString()).doesNotContain("submitted");
    }
}
