package io.vigil.formats;

import io.vigil.formats.access.AccessLogLine;
import io.vigil.formats.access.AccessLogScanner;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;

/**
 * Apache/Nginx access logs in the common and combined formats, one line per record.
 *
 * <p>ECS mapping: {@code event.module} {@code apache} and {@code event.dataset}
 * {@code apache.access} for both servers — the line format is Apache's and does not say which
 * server wrote it, so one stable pair keeps rules and dashboards simple; {@code event.action}
 * is always {@value #ACTION}. {@code event.category} web, {@code event.type} access (plus error
 * for a status of 400 or more), {@code event.outcome} success below 400 and failure from 400.
 *
 * <p>Lenient where real servers are sloppy: a user agent cut off before its closing quote runs to
 * the end of the line (tag {@value #TRUNCATED_TAG}); a request line that is not
 * {@code METHOD target HTTP/x} (a TLS handshake on a plain port, {@code "-"}) is kept only in
 * {@code event.original} (tag {@value #UNPARSED_REQUEST_TAG} when it is not {@code -});
 * invalid UTF-8 is decoded with replacement characters (tag {@code vigil_invalid_utf8}).
 */
public final class AccessLogDecoder implements Decoder {

    /** The {@code event.action} of every access-log event. */
    public static final String ACTION = "http_request";
    public static final String MODULE = "apache";
    public static final String DATASET = "apache.access";
    public static final String TRUNCATED_TAG = "vigil_truncated_field";
    public static final String UNPARSED_REQUEST_TAG = "vigil_unparsed_request";

    public AccessLogDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.ACCESS;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        String text = RecordUtf8.strict(record.bytes());
        boolean invalidUtf8 = text == null;
        if (invalidUtf8) {
            text = RecordUtf8.lossy(record.bytes());
        }
        String line = RecordUtf8.stripLineEnd(text);
        AccessLogLine l;
        try {
            l = AccessLogScanner.scan(line);
        } catch (AccessLogScanner.Refused e) {
            return DecodeResult.failure(e.getMessage());
        }
        SecurityEvent.Builder b = SecurityEvent.builder()
                .origin(record.origin())
                .timestamp(l.timestamp())
                .eventOriginal(line)
                .eventModule(MODULE)
                .eventDataset(DATASET)
                .eventAction(ACTION)
                .eventCategory("web")
                .eventType("access")
                .userName(l.user())
                .httpRequestMethod(l.method())
                .httpVersion(l.httpVersion())
                .httpResponseStatusCode(l.status())
                .httpResponseBodyBytes(l.bytes())
                .httpRequestReferrer(l.referrer())
                .userAgentOriginal(l.userAgent());
        if (IpLiteral.isIp(l.client())) {
            b.sourceIp(l.client());
        } else {
            b.sourceDomain(l.client());
        }
        if (l.target() != null) {
            target(b, l.target());
        }
        if (l.status() != null) {
            if (l.status() >= 400) {
                b.addEventType("error").eventOutcome("failure");
            } else {
                b.eventOutcome("success");
            }
        }
        if (l.userAgentTruncated()) {
            b.tag(TRUNCATED_TAG);
        }
        if (l.requestUnparsed()) {
            b.tag(UNPARSED_REQUEST_TAG);
        }
        if (invalidUtf8) {
            b.tag(RecordUtf8.INVALID_UTF8_TAG);
        }
        return DecodeResult.of(b.build());
    }

    /** url.original is the target as sent; path and query are split at the first '?'. */
    private static void target(SecurityEvent.Builder b, String target) {
        b.urlOriginal(target);
        String rest = target;
        // A proxy request carries an absolute URI: take the host out of it.
        int scheme = rest.startsWith("http://") ? 7 : rest.startsWith("https://") ? 8 : -1;
        if (scheme > 0) {
            int slash = indexOfAny(rest, scheme);
            String authority = rest.substring(scheme, slash);
            int at = authority.lastIndexOf('@');
            String host = authority.substring(at + 1);
            int colon = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
            if (colon > 0) {
                host = host.substring(0, colon);
            }
            if (!host.isEmpty()) {
                b.urlDomain(host);
            }
            rest = slash < rest.length() ? rest.substring(slash) : "/";
        }
        int q = rest.indexOf('?');
        if (q < 0) {
            b.urlPath(rest);
        } else {
            b.urlPath(rest.substring(0, q));
            if (q + 1 < rest.length()) {
                b.urlQuery(rest.substring(q + 1));
            }
        }
    }

    private static int indexOfAny(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return s.length();
    }
}
