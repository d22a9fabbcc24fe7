package io.vigil.rules.web;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a web request target carries, for the web rules: decoding as attackers encode, and the
 * attack patterns, compiled once (a DRL function cannot hold a compiled pattern, and compiling
 * one per request cost a tenth of the decode-and-evaluate time end to end).
 */
public final class WebTargets {

    private static final Pattern TRAVERSAL = Pattern.compile("(\\.\\./){2,}|\\.\\./+(etc|windows|winnt|boot\\.ini|proc|var|usr|root)\\b"
            + "|/etc/(passwd|shadow|hosts)\\b|win\\.ini|boot\\.ini");
    private static final Pattern SQLI = Pattern.compile(
            "union(\\s|/\\*.*?\\*/)+(all(\\s|/\\*.*?\\*/)+)?select\\b"
            + "|'\\s*(or|and)\\s+'?[0-9a-z]+'?\\s*=\\s*'?[0-9a-z]+"
            + "|\\b(or|and)\\s+1\\s*=\\s*1\\b"
            + "|information_schema|@@version|\\bsleep\\s*\\(\\s*\\d+\\s*\\)|benchmark\\s*\\(|waitfor\\s+delay"
            + "|group_concat\\s*\\(|concat(_ws)?\\s*\\(\\s*0x|select\\s+.{0,80}\\bfrom\\b|';\\s*(drop|insert|update|delete|exec)\\s");
    private static final Pattern XSS = Pattern.compile(
            "<\\s*script|<\\s*iframe|<\\s*svg[^>]*on\\w+\\s*=|<\\s*img[^>]*on\\w+\\s*=|javascript\\s*:"
            + "|\\bon(error|load|mouseover)\\s*=|document\\.(cookie|domain)|alert\\s*\\(");

    private WebTargets() {}

    /**
     * Percent-decodes {@code s} once, leniently: a malformed escape stays as written, '+' is a
     * space, the overlong UTF-8 slash %c0%af is a slash. Bytes are read as Latin-1, which keeps
     * the ASCII markers the patterns look for.
     */
    public static String percentDecode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    int b = hi * 16 + lo;
                    if (b == 0xc0 && i + 5 < s.length() && s.regionMatches(true, i + 3, "%af", 0, 3)) {
                        out.append('/');
                        i += 6;
                        continue;
                    }
                    out.append((char) b);
                    i += 3;
                    continue;
                }
            }
            out.append(c == '+' ? ' ' : c);
            i++;
        }
        return out.toString();
    }

    /** The request target decoded twice (double encoding) and lower-cased. */
    public static String normalizedTarget(String url) {
        return percentDecode(percentDecode(url)).replace("\\", "/").toLowerCase(Locale.ROOT);
    }

    /** Which attack the request target carries: "sqli", "traversal", "xss", or null. */
    public static String webAttack(String url) {
        if (url == null) {
            return null;
        }
        String t = normalizedTarget(url);
        if (TRAVERSAL.matcher(t).find()) {
            return "traversal";
        }
        if (SQLI.matcher(t).find()) {
            return "sqli";
        }
        if (XSS.matcher(t).find()) {
            return "xss";
        }
        return null;
    }
}
