package io.vigil.connectors.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {

    @Test
    void aByteOrderMarkAndTrailingLineBreaksAreNotPartOfTheSecret(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("s"), "\uFEFFtop-s3cret\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(Secret.file(f.toString()).read("the key")).isEqualTo("top-s3cret");
    }

    @Test
    void aLineBreakOrNulInsideIsRefusedNamingThePathOnly(@TempDir Path dir) throws Exception {
        for (String inside : new String[] {"first-s3cret\nsecond", "first-s3cret\rsecond", "first-s3cret\0second"}) {
            Path f = Files.writeString(dir.resolve("s"), inside + "\n");
            assertThatThrownBy(() -> Secret.file(f.toString()).read("the key"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("file " + f + " (the key) has a line break or NUL inside the value; a secret file holds "
                            + "one line")
                    .hasMessageNotContaining("s3cret");
        }
    }

    @Test
    void onlyARegularFileOfAtMost64KiBIsRead(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Secret.file(dir.toString()).read("the key"))
                .hasMessage("file " + dir + " (the key) is not a regular file");
        Path big = Files.writeString(dir.resolve("big"), "x".repeat(Secret.MAX_FILE_BYTES + 1));
        assertThatThrownBy(() -> Secret.file(big.toString()).read("the key"))
                .hasMessage("file " + big + " (the key) is larger than 64 KiB");
        Path max = Files.writeString(dir.resolve("max"), "y".repeat(Secret.MAX_FILE_BYTES));
        assertThat(Secret.file(max.toString()).read("the key")).hasSize(Secret.MAX_FILE_BYTES);
        assertThatThrownBy(() -> Secret.file(dir.resolve("absent").toString()).read("the key"))
                .hasMessageEndingWith("does not exist");
    }

    @Test
    void aRelativeFilePathIsAConfigurationProblem() {
        assertThat(Secret.file("secrets/pw").pathProblem("kafka.password-file"))
                .isEqualTo("kafka.password-file: secrets/pw is not an absolute path; the processes that read it may run "
                        + "in another directory");
        assertThat(Secret.file("/run/secrets/pw").pathProblem("kafka.password-file")).isNull();
        assertThat(Secret.env("PW").pathProblem("kafka.password-env")).isNull();
    }

    @Test
    void controlCharactersAreThoseAHeaderMustNotCarry() {
        assertThat(Secret.hasControlCharacter("abc\u0085")).isTrue();
        assertThat(Secret.hasControlCharacter("a\rb")).isTrue();
        assertThat(Secret.hasControlCharacter("plain-key==")).isFalse();
    }
}
