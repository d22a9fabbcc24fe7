package io.vigil.rules.web;

import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * What a web request target carries, for the web rules: decoding as attackers encode, and the
 * attack patterns, compiled once (a DRL function cannot hold a compiled pattern, and compiling
 * one per request cost a tenth of the decode-and-evaluate time end to end).
 *
 * <p>The target is written by the client, so the patterns are RE2/J: linear time, no recursion.
 * With java.util.regex, {@code union} followed by 8,000 '+' (spaces once decoded) recursed once
 * per space in the repeated whitespace-or-comment group until the stack overflowed.
 */
public final class WebTargets {

    /**
     * Longest request target examined, in characters; the rest is ignored. Web servers refuse
     * longer request lines (Apache and nginx at 8 KiB, IIS at 16 KiB by default), so an attack
     * that a server accepted fits; the cap bounds the decoding and matching work per event (RE2/J
     * is linear anyway) and the size of the strings a rule builds.
     */
    public static final int MAX_TARGET_CHARS = 16 * 1024;

    /**
     * java.util.regex's {@code \s}, spelled out: RE2's lacks the vertical tab, which would let
     * {@code union\x0Bselect} slip past the patterns as they were written for Java.
     */
    private static final String WS = "[\\t\\n\\x0B\\f\\r ]";

    private static final Pattern TRAVERSAL = Pattern.compile("(\\.\\./){2,}|\\.\\./+(etc|windows|winnt|boot\\.ini|proc|var|usr|root)\\b"
            + "|/etc/(passwd|shadow|hosts)\\b|win\\.ini|boot\\.ini");
    private static final Pattern SQLI = Pattern.compile(javaWhitespace(
            "union(\\s|/\\*.*?\\*/)+(all(\\s|/\\*.*?\\*/)+)?select\\b"
            + "|'\\s*(or|and)\\s+'?[0-9a-z]+'?\\s*=\\s*'?[0-9a-z]+"
            + "|\\b(or|and)\\s+1\\s*=\\s*1\\b"
            + "|information_schema|@@version|\\bsleep\\s*\\(\\s*\\d+\\s*\\)|benchmark\\s*\\(|waitfor\\s+delay"
            + "|group_concat\\s*\\(|concat(_ws)?\\s*\\(\\s*0x|select\\s+.{0,80}\\bfrom\\b|';\\s*(drop|insert|update|delete|exec)\\s"));
    private static final Pattern XSS = Pattern.compile(javaWhitespace(
            "<\\s*script|<\\s*iframe|<\\s*svg[^>]*on\\w+\\s*=|<\\s*img[^>]*on\\w+\\s*=|javascript\\s*:"
            + "|\\bon(error|load|mouseover)\\s*=|document\\.(cookie|domain)|alert\\s*\\("));

    private static String javaWhitespace(String regex) {
        return regex.replace("\\s", WS);
    }

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

    /**
     * The request target decoded twice (double encoding) and lower-cased; only its first
     * {@link #MAX_TARGET_CHARS} characters (decoding never lengthens it).
     */
    public static String normalizedTarget(String url) {
        String target = url.length() > MAX_TARGET_CHARS ? url.substring(0, MAX_TARGET_CHARS) : url;
        return percentDecode(percentDecode(target)).replace("\\", "/").toLowerCase(Locale.ROOT);
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
