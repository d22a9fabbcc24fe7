package io.vigil.context.intel;

import io.vigil.context.ContextPart;
import io.vigil.context.ContextSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threat intelligence feed files ({@code --intel}, {@code enrich.intel}), each read on every task
 * when it opens: the format taken from the content ({@link IndicatorFeeds#detect}), the feed named
 * after the file (without its extension; a second file of the same name gets {@code -2}, …). With
 * no file, the part only holds the live feeds of the context control topic.
 */
public final class IntelSource implements ContextSource {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IntelSource.class);

    /** The files as text: {@link Path} is not serializable. */
    private final List<String> files;

    public IntelSource(List<Path> files) {
        this.files = new ArrayList<>(files.stream().map(Path::toString).toList());
    }

    @Override
    public String describe() {
        return files.isEmpty() ? "intel: live feeds only" : "intel: " + String.join(", ", files);
    }

    @Override
    public ContextPart open() throws IOException {
        return new IntelPart(read());
    }

    /** Each file's index, by feed name. */
    public Map<String, IntelIndex> read() throws IOException {
        Map<String, IntelIndex> feeds = new LinkedHashMap<>();
        for (String f : files) {
            Path p = Path.of(f);
            String name = feedName(p, feeds);
            byte[] body;
            try {
                body = Files.readAllBytes(p);
            } catch (IOException e) {
                throw new IOException("intel file " + f + " cannot be read: " + e.getMessage(), e);
            }
            String format = IndicatorFeeds.detect(body);
            FeedResult r;
            try {
                r = IndicatorFeeds.read(format, body, name);
            } catch (IOException e) {
                throw new IOException("intel file " + f + ": " + e.getMessage(), e);
            }
            if (r.refused() > 0) {
                LOG.warn("intel file {} ({}): {} entries refused, the {} valid ones loaded; first: {}", f, format,
                        r.refused(), r.indicators().size(), r.problems());
            }
            IntelIndex index = IntelIndex.of(r.indicators());
            LOG.info("intel file {} ({}): feed {}, {} indicators, {} entries skipped (not matchable value by value), "
                    + "{} left out (another of the same value and validity is as confident, or over {} per value)",
                    f, format, name, index.size(), r.skipped(), index.dropped(), IntelIndex.MAX_PER_VALUE);
            feeds.put(name, index);
        }
        return feeds;
    }

    static String feedName(Path p, Map<String, ?> taken) {
        String file = p.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String base = dot > 0 ? file.substring(0, dot) : file;
        String name = base;
        for (int n = 2; taken.containsKey(name); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    public List<String> files() {
        return new ArrayList<>(files);
    }
}
