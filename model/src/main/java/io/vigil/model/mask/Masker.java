package io.vigil.model.mask;

import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.IpLiteral;
import io.vigil.model.KeyEvent;
import io.vigil.model.MassActivity;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Masks what must not leave Vigil (docs/masking.md): payment card numbers, secret parameters,
 * cloud secrets and passwords typed as user names, in events, alerts, dead letters and any text.
 * Pure and thread-safe; what was masked is counted into the {@link MaskCounts} given.
 */
public final class Masker {

    /** What a masked user name or secret value becomes. */
    public static final String MASK = SecretParameters.MASK;

    private static final Masker DEFAULT = new Masker(MaskingPolicy.DEFAULTS);

    private final MaskingPolicy policy;
    private final SecretParameters secrets;

    public Masker(MaskingPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.secrets = new SecretParameters(policy.secretParameters());
    }

    /** The masker of the default policy (logs: no configuration reaches a log layout). */
    public static Masker defaults() {
        return DEFAULT;
    }

    public MaskingPolicy policy() {
        return policy;
    }

    /** {@code text} with card numbers and secrets masked; {@code null} stays {@code null}, unchanged text is the same instance. */
    public String text(String text, MaskCounts counts) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = secrets.mask(text, counts);
        if (digits(s) < CardNumbers.MIN_DIGITS) {
            return s;
        }
        char[] chars = s.toCharArray();
        int cards = CardNumbers.mask(chars, null);
        if (cards == 0) {
            return s;
        }
        counts.add(MaskKind.CARD, cards);
        return new String(chars);
    }

    /** The event with every text field masked; the same instance when nothing was. */
    public SecurityEvent event(SecurityEvent e, MaskCounts counts) {
        Literal typed = typedPassword(e);
        if (typed != null) {
            counts.add(MaskKind.PASSWORD_USER_NAME);
        }
        Texts t = new Texts(typed, counts);
        String[] v = {e.message(), e.eventAction(), e.eventOutcome(), e.eventCode(), e.eventProvider(),
            e.eventDataset(), e.eventModule(), e.eventOriginal(), e.sourceDomain(), e.destinationDomain(), e.userName(),
            e.userDomain(), e.userId(), e.userTargetName(), e.hostName(), e.hostHostname(), e.processName(),
            e.processCommandLine(), e.processExecutable(), e.processParentExecutable(), e.urlOriginal(), e.urlPath(),
            e.urlQuery(), e.urlDomain(), e.httpRequestMethod(), e.httpRequestReferrer(), e.httpVersion(),
            e.userAgentOriginal(), e.cloudProvider(), e.cloudRegion(), e.cloudAccountId()};
        for (int i = 0; i < v.length; i++) {
            v[i] = t.of(v[i]);
        }
        Map<String, String> fields = t.values(e.fields());
        List<String> relatedUser = t.list(e.relatedUser());
        if (!t.changed) {
            return e; // the usual case: nothing to mask, nothing built
        }
        return new SecurityEvent(e.timestamp(), v[0], e.tags(), e.eventKind(), e.eventCategory(), e.eventType(), v[1],
                v[2], v[3], v[4], v[5], v[6], e.eventSequence(), v[7], e.sourceIp(), e.sourcePort(), v[8],
                e.destinationIp(), e.destinationPort(), v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16],
                e.processPid(), v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24], v[25],
                e.httpResponseStatusCode(), e.httpResponseBodyBytes(), v[26], v[27], v[28], v[29], v[30],
                e.relatedIp(), relatedUser, fields, e.origin());
    }

    /**
     * The alert with every value taken from events masked: group key, entities, key events, context
     * and mass-activity keys. A user name in them that looks like a password is masked whatever the
     * sign-in's outcome (an alert no longer says which event a value came from), unless the policy is off.
     *
     * <p>Only values known to be user names are tested: the {@code user.name} and
     * {@code user.target.name} entities, and the group key, key-event values and mass-activity keys
     * of an alert grouped by exactly one of those fields (a spray's distinct values are user names;
     * a web scan's are paths, a composite key "a | b" or a fallback group-by's value may be anything).
     * An IP literal is never a typed password, and IP entities are never rewritten.
     */
    public Alert alert(Alert a, MaskCounts counts) {
        List<Literal> typed = new ArrayList<>();
        if (policy.failedSignInUserNames() != MaskingPolicy.UserNames.OFF) {
            addIfPasswordLike(typed, a.entities().get("user.name"));
            addIfPasswordLike(typed, a.entities().get("user.target.name"));
            if (userField(a.groupBy())) {
                addIfPasswordLike(typed, a.groupKey());
                // a key event's value is a distinct value (a sprayed user name) or a step's name (a phrase)
                for (KeyEvent k : a.keyEvents()) {
                    if (k.value() != null && k.value().indexOf(' ') < 0) {
                        addIfPasswordLike(typed, k.value());
                    }
                }
            }
            MassActivity mass = a.massActivity();
            if (mass != null && userField(mass.groupBy())) {
                mass.sampleKeys().forEach(key -> addIfPasswordLike(typed, key));
            }
        }
        counts.add(MaskKind.PASSWORD_USER_NAME, typed.size());
        Texts t = new Texts(typed, counts);
        String groupKey = t.of(a.groupKey());
        Map<String, String> entities = t.entities(a.entities());
        Map<String, String> context = t.values(a.context());
        List<KeyEvent> keyEvents = new ArrayList<>(a.keyEvents().size());
        for (KeyEvent k : a.keyEvents()) {
            String v = t.of(k.value());
            keyEvents.add(v == k.value() ? k : new KeyEvent(k.time(), k.origin(), v));
        }
        MassActivity mass = a.massActivity();
        if (mass != null) {
            List<String> keys = t.list(mass.sampleKeys());
            if (keys != mass.sampleKeys()) {
                mass = new MassActivity(mass.windowStart(), mass.windowEnd(), mass.groupBy(), mass.alerts(),
                        mass.keys(), keys, mass.maxNewKeys());
            }
        }
        if (!t.changed) {
            return a;
        }
        return new Alert(a.id(), a.timestamp(), a.ruleId(), a.ruleVersion(), a.ruleName(), a.description(),
                a.severity(), a.riskScore(), a.tactics(), a.techniques(), a.tags(), a.groupBy(), groupKey, entities,
                a.count(), a.suppressedCount(), a.firstEventTime(), a.lastEventTime(), a.origins(), a.originsTotal(),
                keyEvents, mass, a.provenance(), context);
    }

    /**
     * The letter with its record and reason masked. Bytes that are not UTF-8 (held as base64) are
     * read one byte per character (ISO-8859-1), so ASCII card numbers and secrets inside binary are
     * found; the masked bytes are encoded again. {@code rawBytes} keeps the original length.
     */
    public DeadLetter deadLetter(DeadLetter d, MaskCounts counts) {
        String raw = d.raw();
        if (DeadLetter.BASE64.equals(d.rawEncoding())) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                bytes = null; // not ours to repair: base64 Vigil did not write is masked as text
            }
            if (bytes != null) {
                String latin = new String(bytes, StandardCharsets.ISO_8859_1);
                String masked = text(latin, counts);
                raw = masked == latin ? raw : Base64.getEncoder().encodeToString(masked.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                raw = text(raw, counts);
            }
        } else {
            raw = text(raw, counts);
        }
        String reason = text(d.reason(), counts);
        if (raw == d.raw() && reason == d.reason()) {
            return d;
        }
        return new DeadLetter(raw, d.rawEncoding(), d.rawBytes(), d.origin(), d.decoder(), reason, d.kind(), d.ruleId());
    }

    /** The user name of a failed sign-in to mask under the policy, or {@code null}. */
    private Literal typedPassword(SecurityEvent e) {
        String name = e.userName();
        if (name == null || name.isEmpty() || MASK.equals(name) || !failedSignIn(e)) {
            return null;
        }
        return switch (policy.failedSignInUserNames()) {
            case OFF -> null;
            case ALL -> new Literal(name);
            case PASSWORD_LIKE -> PasswordLikeNames.test(name) ? new Literal(name) : null;
        };
    }

    /** An authentication event that did not succeed (a failure, an unknown user, too many tries). */
    static boolean failedSignIn(SecurityEvent e) {
        return e.eventCategory().contains("authentication") && !"success".equals(e.eventOutcome());
    }

    /** Whether a group-by is one user-name field alone (not a list, not another field naming "user"). */
    private static boolean userField(String groupBy) {
        return "user.name".equals(groupBy) || "user.target.name".equals(groupBy);
    }

    private static void addIfPasswordLike(List<Literal> typed, String value) {
        if (value != null && PasswordLikeNames.test(value) && !IpLiteral.isIp(value)
                && typed.stream().noneMatch(l -> l.text().equals(value))) {
            typed.add(new Literal(value));
        }
    }

    private static int digits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            }
        }
        return n;
    }

    /** Masks the strings of one record: the typed passwords first, then cards and secrets. */
    private final class Texts {
        private final List<Literal> typed;
        private final MaskCounts counts;
        boolean changed;

        Texts(Literal typed, MaskCounts counts) {
            this(typed == null ? List.of() : List.of(typed), counts);
        }

        Texts(List<Literal> typed, MaskCounts counts) {
            this.typed = typed;
            this.counts = counts;
        }

        String of(String s) {
            if (s == null) {
                return null;
            }
            String out = s;
            if (!typed.isEmpty() && !IpLiteral.isIp(s)) {
                for (Literal l : typed) {
                    out = l.replace(out, MASK);
                }
            }
            out = text(out, counts);
            if (out != s) {
                changed = true;
            }
            return out;
        }

        List<String> list(List<String> values) {
            List<String> out = null;
            for (int i = 0; i < values.size(); i++) {
                String v = of(values.get(i));
                if (v != values.get(i) && out == null) {
                    out = new ArrayList<>(values);
                }
                if (out != null) {
                    out.set(i, v);
                }
            }
            return out == null ? values : out;
        }

        /** Entities: an IP entity or an IP literal is left as it is (it links incidents; no secret fits in one). */
        Map<String, String> entities(Map<String, String> map) {
            return values(map, true);
        }

        Map<String, String> values(Map<String, String> map) {
            return values(map, false);
        }

        private Map<String, String> values(Map<String, String> map, boolean entities) {
            Map<String, String> out = null;
            for (Map.Entry<String, String> en : map.entrySet()) {
                boolean ip = entities && (en.getKey().endsWith(".ip") || IpLiteral.isIp(en.getValue()));
                String v = ip ? en.getValue() : of(en.getValue());
                if (v != en.getValue() && out == null) {
                    out = new LinkedHashMap<>(map);
                }
                if (out != null) {
                    out.put(en.getKey(), v);
                }
            }
            return out == null ? map : out;
        }
    }
}
