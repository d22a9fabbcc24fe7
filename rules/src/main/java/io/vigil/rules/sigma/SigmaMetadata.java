package io.vigil.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.rules.Attack;
import io.vigil.rules.RuleMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Sigma document's metadata as {@link RuleMeta} fields: title, description, author, status,
 * references, false positives, level (severity and risk score), and tags (ATT&CK techniques and
 * tactics by id, the others kept as tags).
 */
final class SigmaMetadata {

    /** Sigma level → Vigil severity and risk score (0-100). */
    static final Map<String, Object[]> LEVELS = Map.of(
            "informational", new Object[] {"low", 10},
            "low", new Object[] {"low", 21},
            "medium", new Object[] {"medium", 47},
            "high", new Object[] {"high", 73},
            "critical", new Object[] {"critical", 99});

    private SigmaMetadata() {}

    /** A builder with the document's metadata filled in (ruleset sigma, shape SINGLE, no suppression). */
    static RuleMeta.Builder of(JsonNode doc, String id, String file, String licenseOfFile) {
        String level = text(doc, "level");
        Object[] sev = LEVELS.getOrDefault(level == null ? "medium" : level.toLowerCase(Locale.ROOT), LEVELS.get("medium"));
        List<String> tactics = new ArrayList<>();
        List<String> techniques = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (String tag : list(doc, "tags")) {
            String t = tag.strip();
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.startsWith("attack.")) {
                String rest = lower.substring("attack.".length());
                String technique = rest.toUpperCase(Locale.ROOT);
                String tactic = tacticId(rest);
                if (Attack.isTechniqueId(technique)) {
                    addOnce(techniques, technique);
                    continue;
                }
                if (tactic != null) {
                    addOnce(tactics, tactic);
                    continue;
                }
            }
            addOnce(tags, t);
        }
        List<String> falsePositives = list(doc, "falsepositives");
        String license = text(doc, "license");
        return RuleMeta.builder()
                .id(id)
                .version(version(doc))
                .name(text(doc, "title"))
                .description(text(doc, "description"))
                .severity((String) sev[0])
                .riskScore((Integer) sev[1])
                .tactics(tactics)
                .techniques(techniques)
                .tags(tags)
                .falsePositives(falsePositives.isEmpty() ? null : String.join("; ", falsePositives))
                .references(list(doc, "references"))
                .shape(io.vigil.rules.Shape.SINGLE)
                .suppressMs(0)
                .file(file)
                .ruleset(RuleMeta.SIGMA)
                .author(text(doc, "author"))
                .license(license != null ? license : licenseOfFile)
                .status(text(doc, "status"));
    }

    /**
     * A Sigma rule's version: the day of its last change ({@code modified}, else {@code date}) as
     * the number {@code yyyymmdd}, 1 when it has neither. Sigma has no version field; a changed rule
     * gets a new {@code modified} day (SigmaHQ's convention), and live rule packs start the
     * correlation state of a rule afresh when its version changes.
     */
    static int version(JsonNode doc) {
        for (String key : new String[] {"modified", "date"}) {
            String day = text(doc, key);
            if (isDay(day)) {
                return Integer.parseInt(day.substring(0, 4) + day.substring(5, 7) + day.substring(8, 10));
            }
        }
        return 1;
    }

    /** Whether {@code s} is {@code yyyy-mm-dd} or {@code yyyy/mm/dd} (digits, no pattern engine). */
    private static boolean isDay(String s) {
        if (s == null || s.length() != 10 || (s.charAt(4) != '-' && s.charAt(4) != '/') || s.charAt(7) != s.charAt(4)) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
                return false;
            }
        }
        return true;
    }

    /** The ATT&CK id of a tactic tag ({@code credential-access} → TA0006), or null. */
    static String tacticId(String tagName) {
        for (Map.Entry<String, String> e : Attack.TACTICS.entrySet()) {
            String name = e.getValue().toLowerCase(Locale.ROOT).replace(' ', '-').replace("&", "and");
            if (name.equals(tagName) || name.replace('-', '_').equals(tagName)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static void addOnce(List<String> list, String v) {
        if (!list.contains(v)) {
            list.add(v);
        }
    }

    static String text(JsonNode doc, String key) {
        JsonNode v = doc.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.asText()));
            return String.join(", ", parts);
        }
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    static List<String> list(JsonNode doc, String key) {
        JsonNode v = doc.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(x -> {
                if (!x.isNull() && !x.asText().isBlank()) {
                    out.add(x.asText().strip());
                }
            });
        } else if (!v.asText().isBlank()) {
            out.add(v.asText().strip());
        }
        return out;
    }
}
