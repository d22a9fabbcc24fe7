package io.vigil.jobs.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the link check takes for a broken link, on pages written for it. */
class MarkdownLinksTest {

    @TempDir
    Path root;

    @Test
    void anchorsFollowGitHubsRule() {
        assertThat(MarkdownLinks.slug("Streaming: Kafka in, Elasticsearch out")).isEqualTo("streaming-kafka-in-elasticsearch-out");
        assertThat(MarkdownLinks.slug("Invariant 3: Flink state is the truth")).isEqualTo("invariant-3-flink-state-is-the-truth");
        assertThat(MarkdownLinks.slug("`vigil replay` options")).isEqualTo("vigil-replay-options");
        assertThat(MarkdownLinks.slug("What **is** [sent](webhooks.md)")).isEqualTo("what-is-sent");
        assertThat(MarkdownLinks.slug("Formats & the ECS fields")).isEqualTo("formats--the-ecs-fields");
        assertThat(MarkdownLinks.slug("max_keys, 1.0 / état")).isEqualTo("max_keys-10--état");
    }

    @Test
    void aLinkToAMissingFileIsBroken() throws IOException {
        Path page = write("docs/a.md", "See [b](b.md) and [c](c.md).\n");
        write("docs/b.md", "# B\n");

        List<MarkdownLinks.Broken> broken = new MarkdownLinks(root).broken(List.of(page));

        assertThat(broken).extracting(b -> b.link().target()).containsExactly("c.md");
        assertThat(broken.get(0).link().line()).isEqualTo(1);
        assertThat(broken.get(0).reason()).isEqualTo("no such file: docs/c.md");
    }

    @Test
    void aLinkToAHeadingThatDoesNotExistIsBroken() throws IOException {
        Path page = write("README.md", """
                # Vigil

                [ok](docs/b.md#the-flow), [repeat](docs/b.md#notes-1), [here](#vigil),
                [gone](docs/b.md#the-old-flow), [missing here](#nothing)
                """);
        write("docs/b.md", "# B\n\n## The flow\n\n## Notes\n\n## Notes\n");

        List<MarkdownLinks.Broken> broken = new MarkdownLinks(root).broken(List.of(page));

        assertThat(broken).extracting(b -> b.link().target()).containsExactly("docs/b.md#the-old-flow", "#nothing");
    }

    @Test
    void codeOtherSitesAndOtherFilesAnchorsAreNotFollowed() throws IOException {
        Path page = write("docs/a.md", """
                `[not a link](nowhere.md)` and [a site](https://example.org/x.md#y), [mail](mailto:a@b.c)
                [source](../pom.xml#L3)

                ```
                [in a code block](nowhere.md)
                ```
                """);
        write("pom.xml", "<project/>\n");

        assertThat(new MarkdownLinks(root).broken(List.of(page))).isEmpty();
    }

    @Test
    void aLinkOutOfTheRepositoryIsBroken() throws IOException {
        Path page = write("docs/a.md", "[datasets](../../shared/datasets/README.md)\n");

        assertThat(new MarkdownLinks(root).broken(List.of(page)))
                .extracting(MarkdownLinks.Broken::reason).containsExactly("leads out of the repository");
    }

    private Path write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
