package io.vigil.context.intel;

import java.io.IOException;
import java.util.List;

/**
 * Reads a feed of any supported format into indicators: STIX 2.1 bundles ({@link StixFeed}), MISP
 * event JSON ({@link MispFeed}) and CSV with a header ({@link CsvFeed}).
 *
 * <p>A feed with some wrong entries (an address that is none, a hash of the wrong length) loads its
 * good entries; the wrong ones are refused and named in {@link FeedResult#problems()}. A feed that
 * cannot be read at all (not JSON, no CSV header, an unknown column), or whose every entry is
 * wrong, is an {@link IOException}.
 */
public final class IndicatorFeeds {

    public static final List<String> FORMATS = List.of("stix", "misp", "csv");

    private IndicatorFeeds() {}

    /**
     * The indicators of {@code body}, written in {@code format} ({@code stix}, {@code misp},
     * {@code csv}), as feed {@code feed}.
     *
     * @throws IOException naming the format and what in the body is wrong
     */
    public static List<Indicator> parse(String format, byte[] body, String feed) throws IOException {
        return read(format, body, feed).indicators();
    }

    /** {@link #parse}, with what was skipped and refused. */
    public static FeedResult read(String format, byte[] body, String feed) throws IOException {
        FeedResult r = switch (format) {
            case "stix" -> StixFeed.read(body, feed);
            case "misp" -> MispFeed.read(body, feed);
            case "csv" -> CsvFeed.read(body, feed);
            default -> throw new IOException("unknown intel feed format '" + format + "', expected one of " + FORMATS);
        };
        if (r.indicators().isEmpty() && r.refused() > 0) {
            throw new IOException(format + " feed " + feed + ": no valid indicator, " + r.refused()
                    + " refused; first: " + r.problems().get(0));
        }
        return r;
    }

    /**
     * The format of a feed file by its content: JSON with {@code "Event"} or {@code "response"} is
     * MISP, JSON with {@code "type": "bundle"} or {@code "objects"} is STIX, anything else CSV.
     */
    public static String detect(byte[] body) {
        int i = 0;
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            i = 3; // a UTF-8 byte order mark
        }
        while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
            i++;
        }
        if (i < body.length && (body[i] == '{' || body[i] == '[')) {
            return JsonFeeds.isMisp(body) ? "misp" : "stix";
        }
        return "csv";
    }
}
