package io.vigil.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one detection entry, {@code field|modifier|…: value(s)}, or a keyword list, into a
 * {@link Matcher}. Every modifier of the specification but the time ones ({@code minute},
 * {@code hour}, …) is known; any other name is a problem of the rule.
 */
final class ValueCompiler {

    static final Set<String> MODIFIERS = Set.of("contains", "startswith", "endswith", "all", "re", "i", "m", "s",
            "windash", "cidr", "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "fieldref", "exists",
            "cased", "lt", "lte", "gt", "gte", "neq", "expand");

    /** Most variants one value may expand to (windash permutations times placeholder values). */
    static final int MAX_VARIANTS = 4096;

    private static final String DASHES = "-/\u2013\u2014\u2015";

    /** How a rule reads Sigma fields (its log source's mapping). */
    interface Fields {
        FieldAccess field(String sigmaName) throws SigmaException;

        /** The texts keywords are searched in. */
        List<FieldAccess> keywordFields();
    }

    private final Fields fields;
    private final Map<String, List<String>> placeholders;

    ValueCompiler(Fields fields, Map<String, List<String>> placeholders) {
        this.fields = fields;
        this.placeholders = placeholders;
    }

    /** {@code key: value} of a detection map; an empty field name ({@code '|all'}) is a keyword search. */
    Matcher entry(String key, JsonNode value) throws SigmaException {
        String[] parts = key.split("\\|", -1);
        String field = parts[0].strip();
        Set<String> mods = new LinkedHashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String m = parts[i].strip();
            if (!MODIFIERS.contains(m)) {
                throw SigmaException.problem("unknown modifier '" + m + "' in '" + key + "'");
            }
            mods.add(m);
        }
        if (field.isEmpty()) {
            return keywords(value, mods);
        }
        FieldAccess access = fields.field(field);
        if (mods.contains("exists")) {
            if (!value.isBoolean()) {
                throw SigmaException.problem("'" + key + "' takes true or false");
            }
            return Matchers.exists(access, value.booleanValue());
        }
        List<JsonNode> values = scalars(value, key);
        boolean cased = mods.contains("cased");
        boolean negate = mods.contains("neq");
        if (mods.contains("fieldref")) {
            List<Matcher> refs = new ArrayList<>();
            for (JsonNode v : values) {
                refs.add(Matchers.fieldRef(access, fields.field(v.asText()), cased, negate));
            }
            return mods.contains("all") || negate ? Matchers.and(refs) : Matchers.or(refs);
        }
        List<Matcher> empties = new ArrayList<>();
        List<ValueTest> tests = new ArrayList<>();
        for (JsonNode v : values) {
            if (v.isNull() || (v.isTextual() && v.asText().isEmpty() && !hasStringModifier(mods))) {
                empties.add(Matchers.empty(access));
            } else {
                tests.addAll(tests(v, mods, key));
            }
        }
        boolean all = mods.contains("all");
        List<Matcher> any = new ArrayList<>(empties);
        if (!tests.isEmpty()) {
            any.add(Matchers.field(access, tests, all && !negate));
        }
        Matcher m = all && !negate ? Matchers.and(any) : Matchers.or(any);
        // neq: the field has a value and it is none of these
        return negate ? Matchers.and(List.of(Matchers.exists(access, true), Matchers.not(m))) : m;
    }

    /** A list of keywords (OR, or AND with {@code all}), each searched anywhere in the event's text. */
    Matcher keywords(JsonNode value, Set<String> mods) throws SigmaException {
        List<ValueTest> tests = new ArrayList<>();
        Set<String> contained = new LinkedHashSet<>(mods);
        contained.remove("all");
        if (!contained.contains("re") && !contained.contains("startswith") && !contained.contains("endswith")) {
            contained.add("contains"); // a keyword is found anywhere in the text
        }
        for (JsonNode v : scalars(value, "keywords")) {
            if (v.isNull()) {
                throw SigmaException.problem("a keyword is null");
            }
            tests.addAll(tests(v, contained, "keywords"));
        }
        boolean all = mods.contains("all");
        List<Matcher> perTest = new ArrayList<>();
        for (ValueTest t : tests) {
            List<Matcher> anyText = new ArrayList<>();
            for (FieldAccess f : fields.keywordFields()) {
                anyText.add(Matchers.field(f, List.of(t), false));
            }
            perTest.add(Matchers.or(anyText));
        }
        return all ? Matchers.and(perTest) : Matchers.or(perTest);
    }

    private static boolean hasStringModifier(Set<String> mods) {
        return mods.contains("contains") || mods.contains("startswith") || mods.contains("endswith");
    }

    private static List<JsonNode> scalars(JsonNode value, String key) throws SigmaException {
        List<JsonNode> out = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode v : value) {
                if (v.isContainerNode()) {
                    throw SigmaException.problem("'" + key + "' lists a map or list as a value");
                }
                out.add(v);
            }
        } else if (value.isObject()) {
            throw SigmaException.problem("'" + key + "' has a map as its value");
        } else {
            out.add(value);
        }
        return out;
    }

    /** The tests of one scalar value under the modifiers (several for windash, base64offset, expand). */
    private List<ValueTest> tests(JsonNode v, Set<String> mods, String key) throws SigmaException {
        boolean cased = mods.contains("cased");
        for (String op : List.of("lt", "lte", "gt", "gte")) {
            if (mods.contains(op)) {
                if (!v.isNumber()) {
                    throw SigmaException.problem("'" + key + "' compares with a number, not '" + v.asText() + "'");
                }
                return List.of(new NumberTest(op, v.asDouble(), v.asText()));
            }
        }
        String raw = v.asText();
        if (mods.contains("cidr")) {
            return List.of(CidrTest.parse(raw));
        }
        if (mods.contains("re")) {
            int flags = (mods.contains("i") ? Pattern.CASE_INSENSITIVE : 0) | (mods.contains("m") ? Pattern.MULTILINE : 0)
                    | (mods.contains("s") ? Pattern.DOTALL : 0);
            try {
                return List.of(new RegexTest(Pattern.compile(raw, flags), false));
            } catch (PatternSyntaxException e) {
                throw SigmaException.problem("re: RE2/J cannot run '" + raw + "' (" + e.getDescription()
                        + "; look-around and back-references are not supported)");
            }
        }
        if (v.isNumber() && !hasStringModifier(mods) && mods.stream().noneMatch(ValueCompiler::transforms)) {
            return List.of(new NumberTest("eq", v.asDouble(), raw));
        }
        List<String> texts = List.of(raw);
        if (mods.contains("expand")) {
            texts = expand(texts);
        }
        if (mods.contains("windash")) {
            texts = windash(texts);
        }
        boolean before = mods.contains("contains") || mods.contains("endswith");
        boolean after = mods.contains("contains") || mods.contains("startswith");
        boolean b64 = mods.contains("base64");
        boolean b64offset = mods.contains("base64offset");
        String utf16 = mods.contains("utf16le") || mods.contains("wide") ? "le"
                : mods.contains("utf16be") ? "be" : mods.contains("utf16") ? "bom" : null;
        if (utf16 != null && !b64 && !b64offset) {
            throw SigmaException.problem("'" + key + "': a utf16 modifier needs base64 or base64offset after it");
        }
        List<ValueTest> out = new ArrayList<>();
        for (String text : texts) {
            if (b64 || b64offset) {
                // encoded text is compared as is: Base64 is case-sensitive, its wildcards meaningless
                byte[] bytes = encode(SigmaText.parse(text).plain(), utf16);
                List<String> encoded = b64 ? List.of(Base64.getEncoder().encodeToString(bytes)) : offsets(bytes);
                for (String e : encoded) {
                    out.add(SigmaText.literal(e).wrap(before, after).test(true));
                }
            } else {
                out.add(SigmaText.parse(text).wrap(before, after).test(cased));
            }
        }
        return out;
    }

    private static boolean transforms(String mod) {
        return Set.of("windash", "base64", "base64offset", "expand", "cased").contains(mod);
    }

    private static byte[] encode(String text, String utf16) {
        if (utf16 == null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return switch (utf16) {
            case "le" -> text.getBytes(StandardCharsets.UTF_16LE);
            case "be" -> text.getBytes(StandardCharsets.UTF_16BE);
            default -> {
                byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
                byte[] withBom = new byte[body.length + 2];
                withBom[0] = (byte) 0xFF;
                withBom[1] = (byte) 0xFE;
                System.arraycopy(body, 0, withBom, 2, body.length);
                yield withBom;
            }
        };
    }

    /**
     * The three forms {@code bytes} takes inside a longer Base64 text, by its offset modulo 3:
     * encoded after 0, 1 or 2 filler bytes, without the leading characters the filler touches
     * and the trailing ones that depend on what follows.
     */
    static List<String> offsets(byte[] bytes) {
        int[] cutStart = {0, 2, 3};
        List<String> out = new ArrayList<>(3);
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[bytes.length + shift];
            System.arraycopy(bytes, 0, shifted, shift, bytes.length);
            String b = Base64.getEncoder().encodeToString(shifted);
            int cutEnd = switch ((bytes.length + shift) % 3) {
                case 1 -> 3;
                case 2 -> 2;
                default -> 0;
            };
            int end = b.length() - cutEnd;
            out.add(end > cutStart[shift] ? b.substring(cutStart[shift], end) : "");
        }
        return out;
    }

    private List<String> expand(List<String> texts) throws SigmaException {
        List<String> out = new ArrayList<>();
        for (String t : texts) {
            List<String> done = new ArrayList<>(List.of(""));
            int i = 0;
            while (i < t.length()) {
                char c = t.charAt(i);
                int close = c == '%' ? t.indexOf('%', i + 1) : -1;
                if (c == '\\' && i + 1 < t.length() && t.charAt(i + 1) == '\\') {
                    appendAll(done, "\\\\"); // an escaped backslash stays escaped for the wildcard parser
                    i += 2;
                } else if (c == '\\' && i + 1 < t.length() && t.charAt(i + 1) == '%') {
                    appendAll(done, "%");
                    i += 2;
                } else if (close > i + 1) {
                    String name = t.substring(i + 1, close);
                    List<String> values = placeholders.get(name);
                    if (values == null || values.isEmpty()) {
                        throw SigmaException.unsupported("placeholder %" + name
                                + "% has no values (give them under vigil-placeholders:)");
                    }
                    List<String> next = new ArrayList<>();
                    for (String d : done) {
                        for (String v : values) {
                            next.add(d + v);
                        }
                    }
                    done = bounded(next);
                    i = close + 1;
                } else {
                    appendAll(done, String.valueOf(c));
                    i++;
                }
            }
            out.addAll(done);
        }
        return bounded(out);
    }

    private static void appendAll(List<String> done, String s) {
        done.replaceAll(d -> d + s);
    }

    /**
     * Every form of the texts with each dash that starts an option ({@code -} or {@code /} after
     * a space or at the start, before a letter or digit) written as each of {@code - / – — ―}.
     */
    static List<String> windash(List<String> texts) throws SigmaException {
        List<String> out = new ArrayList<>();
        for (String t : texts) {
            List<String> forms = new ArrayList<>(List.of(""));
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                boolean option = DASHES.indexOf(c) >= 0 && (i == 0 || !Character.isLetterOrDigit(t.charAt(i - 1)))
                        && i + 1 < t.length() && Character.isLetterOrDigit(t.charAt(i + 1));
                if (option) {
                    List<String> next = new ArrayList<>();
                    for (String f : forms) {
                        for (int d = 0; d < DASHES.length(); d++) {
                            next.add(f + DASHES.charAt(d));
                        }
                    }
                    forms = bounded(next);
                } else {
                    appendAll(forms, String.valueOf(c));
                }
            }
            out.addAll(forms);
        }
        return bounded(out);
    }

    private static List<String> bounded(List<String> variants) throws SigmaException {
        if (variants.size() > MAX_VARIANTS) {
            throw SigmaException.problem("a value expands to more than " + MAX_VARIANTS + " variants");
        }
        return variants;
    }
}
