package io.vigil.jobs.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation a newcomer reads holds together: every relative link of {@code README.md} and
 * {@code docs/} leads to a file of the repository, and to a heading that exists; every code comment
 * that cites an invariant names one {@code docs/architecture.md} defines.
 */
class DocumentationLinksTest {

    private static final Path ROOT = repositoryRoot();

    // "docs/architecture.md, invariant 3", also broken over a comment's lines
    private static final Pattern CITATION = Pattern.compile("docs/architecture\\.md,\\s+invariant\\s+(\\d+)");
    private static final Pattern OLD_CITATION = Pattern.compile("DESIGN(?:\\.md)?\\s+invariant", Pattern.CASE_INSENSITIVE);
    private static final Pattern COMMENT_LINE_START = Pattern.compile("\\n\\s*(?:\\*(?!/)|//)");

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
        List<Path> pages = pages();
        assertThat(pages).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/architecture.md"));

        List<MarkdownLinks.Broken> broken = new MarkdownLinks(ROOT).broken(pages);

        assertThat(broken).as("broken links (relative to %s)", ROOT).isEmpty();
    }

    @Test
    void everyCommentCitingAnInvariantNamesOneTheArchitectureDefines() throws IOException {
        Set<String> anchors = new MarkdownLinks(ROOT).anchorsOf(ROOT.resolve("docs/architecture.md"));
        List<String> citations = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path source : javaSources()) {
            String text = COMMENT_LINE_START.matcher(Files.readString(source, StandardCharsets.UTF_8)).replaceAll(" ");
            if (OLD_CITATION.matcher(text).find()) {
                problems.add(ROOT.relativize(source) + " cites DESIGN.md, which is not in the repository");
            }
            Matcher m = CITATION.matcher(text);
            while (m.find()) {
                String prefix = "invariant-" + m.group(1) + "-";
                citations.add(ROOT.relativize(source) + ": invariant " + m.group(1));
                if (anchors.stream().noneMatch(a -> a.startsWith(prefix))) {
                    problems.add(ROOT.relativize(source) + " cites invariant " + m.group(1)
                            + ", which docs/architecture.md does not define (### Invariant " + m.group(1) + ": …)");
                }
            }
        }
        assertThat(citations).as("comments citing docs/architecture.md, invariant N").isNotEmpty();
        assertThat(problems).isEmpty();
    }

    /** README.md and every Markdown page under docs/. */
    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> walk = Files.walk(ROOT.resolve("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The Java sources of every module (main and test), sorted. */
    private static Set<Path> javaSources() throws IOException {
        Set<Path> out = new TreeSet<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path src : modules.map(m -> m.resolve("src")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> walk = Files.walk(src)) {
                    walk.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
                }
            }
        }
        return out;
    }

    /** The directory holding {@code mvnw}, walking up from the module the tests run in. */
    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("mvnw"))) {
                return d;
            }
        }
        throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
    }
}
