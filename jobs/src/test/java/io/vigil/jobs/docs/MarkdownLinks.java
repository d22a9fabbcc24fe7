package io.vigil.jobs.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative links of Markdown pages, and which of them lead nowhere: to a file that does not
 * exist, out of the repository, or to an anchor no heading of the target page makes. Anchors follow
 * GitHub's rule, so a link that works here works on GitHub: the heading's text, in lower case,
 * with punctuation dropped and each space made a hyphen, and {@code -1}, {@code -2}, … after
 * repeats. Links to other sites ({@code https:}, {@code mailto:}) are not followed.
 */
final class MarkdownLinks {

    /** A link as written: the page, its line (from 1) and the target. */
    record Link(Path page, int line, String target) {}

    /** A link that leads nowhere, and why. */
    record Broken(Link link, String reason) {
        @Override
        public String toString() {
            return link.page() + ":" + link.line() + ": (" + link.target() + ") " + reason;
        }
    }

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    // [text](target) and ![alt](target), with an optional "title"; <target> for targets with spaces
    private static final Pattern INLINE = Pattern.compile(
            "!?\\[(?:[^\\[\\]]|\\[[^\\[\\]]*\\])*\\]\\(\\s*(<[^>]*>|[^\\s)]+)(?:\\s+\"[^\"]*\")?\\s*\\)");
    // [label]: target
    private static final Pattern DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    // what GitHub drops from a heading: anything but letters, marks, digits, '_', spaces and '-'
    private static final Pattern NOT_IN_ANCHOR = Pattern.compile("[^\\p{L}\\p{M}\\p{N}_ \\-]");

    private final Path root;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    /** @param root the repository: no link may lead out of it */
    MarkdownLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The links of {@code pages} that lead nowhere, in page and line order. */
    List<Broken> broken(List<Path> pages) {
        List<Broken> out = new ArrayList<>();
        for (Path page : pages) {
            for (Link link : links(page)) {
                String reason = check(link);
                if (reason != null) {
                    out.add(new Broken(link, reason));
                }
            }
        }
        return out;
    }

    /** Why {@code link} leads nowhere, or {@code null} when it resolves. */
    private String check(Link link) {
        String target = link.target();
        if (SCHEME.matcher(target).find()) {
            return null; // another site
        }
        int hash = target.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path page = link.page().toAbsolutePath().normalize();
        Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!file.startsWith(root)) {
            return "leads out of the repository";
        }
        if (!Files.exists(file)) {
            return "no such file: " + root.relativize(file);
        }
        if (anchor == null || !file.toString().endsWith(".md")) {
            return null;
        }
        if (anchor.isEmpty()) {
            return "empty anchor";
        }
        return anchorsOf(file).contains(anchor) ? null : "no heading of " + root.relativize(file) + " makes #" + anchor;
    }

    /** The links of one page, outside code blocks and code spans. */
    static List<Link> links(Path page) {
        List<Link> out = new ArrayList<>();
        List<String> lines = read(page);
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher f = FENCE.matcher(line);
            if (f.find()) {
                String mark = f.group(1);
                if (fence == null) {
                    fence = mark;
                } else if (mark.charAt(0) == fence.charAt(0) && mark.length() >= fence.length()) {
                    fence = null;
                }
                continue;
            }
            if (fence != null) {
                continue;
            }
            String text = CODE_SPAN.matcher(line).replaceAll("");
            Matcher m = INLINE.matcher(text);
            while (m.find()) {
                out.add(new Link(page, i + 1, unwrap(m.group(1))));
            }
            Matcher d = DEFINITION.matcher(text);
            if (d.find()) {
                out.add(new Link(page, i + 1, unwrap(d.group(1))));
            }
        }
        return out;
    }

    /** The anchors a page makes: one per heading, and those of {@code <a name|id="…">}. */
    Set<String> anchorsOf(Path page) {
        return anchors.computeIfAbsent(page, MarkdownLinks::readAnchors);
    }

    private static Set<String> readAnchors(Path page) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        String fence = null;
        for (String line : read(page)) {
            Matcher f = FENCE.matcher(line);
            if (f.find()) {
                String mark = f.group(1);
                if (fence == null) {
                    fence = mark;
                } else if (mark.charAt(0) == fence.charAt(0) && mark.length() >= fence.length()) {
                    fence = null;
                }
                continue;
            }
            if (fence != null) {
                continue;
            }
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum);
                out.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
            Matcher a = HTML_ANCHOR.matcher(line);
            while (a.find()) {
                out.add(a.group(1));
            }
        }
        return out;
    }

    /** GitHub's anchor for a heading's Markdown text. */
    static String slug(String heading) {
        String text = heading
                .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link shows its text
                .replaceAll("<[^>]+>", "") // inline HTML shows nothing of its tags
                .replace("`", "")
                .replace("*", "");
        return NOT_IN_ANCHOR.matcher(text.strip().toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
    }

    private static String unwrap(String target) {
        return target.startsWith("<") && target.endsWith(">") ? target.substring(1, target.length() - 1) : target;
    }

    private static List<String> read(Path page) {
        try {
            return Files.readAllLines(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
