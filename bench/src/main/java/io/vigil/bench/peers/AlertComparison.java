package io.vigil.bench.peers;

import io.vigil.bench.peers.Reference.Variant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Vigil's alerts of one rule against a peer's: what is equal, what only one has, and why. The
 * reason is checked, not assumed: the peer's alerts must equal, alert for alert, those of a
 * {@link Reference} variant of Vigil's semantics, which names the one thing that differs. Each
 * difference is then put in a class by a check on the alerts of its key (for no suppression:
 * a peer-only alert inside a Vigil alert's suppression period, or less than a window after it;
 * a Vigil-only alert after a peer-only alert since the previous Vigil alert). Differences that
 * pass no class check are counted as {@code other}; a peer that equals no variant has its
 * differences from the closest one reported as unexplained.
 */
record AlertComparison(
        String rule,
        String peer,
        int vigil,
        int peerCount,
        int equal,
        int onlyVigil,
        int onlyPeer,
        Variant explainedBy,
        Variant closest,
        Map<String, Integer> classes,
        Map<String, List<String>> examples,
        int unexplained) {

    static final String SUPPRESSED = "peer alert inside the suppression period of a Vigil alert of the key"
            + " (Vigil counts its events as suppressed)";
    static final String CARRIED = "peer alert less than a window after a Vigil suppression period ended"
            + " (the peer's window still holds events Vigil suppressed; Vigil's restarted empty)";
    static final String RESTARTED = "Vigil alert the peer lacks, after a peer-only alert of the key since the"
            + " previous Vigil alert (that peer alert cleared the peer's window at another time than Vigil's)";
    static final String BOUNDARY = "window boundary: events exactly a window apart";
    static final String OTHER = "other (explained by the variant as a whole, no single-alert check)";
    static final String UNEXPLAINED = "unexplained";

    static final int EXAMPLES = 3;

    static AlertComparison of(String rule, long windowMs, long suppressMs, String peer,
                              Collection<PeerAlert> vigilAlerts, Collection<PeerAlert> peerAlerts,
                              Map<Variant, Set<PeerAlert>> model) {
        NavigableSet<PeerAlert> v = only(rule, vigilAlerts);
        NavigableSet<PeerAlert> p = only(rule, peerAlerts);
        NavigableSet<PeerAlert> onlyV = new TreeSet<>(v);
        onlyV.removeAll(p);
        NavigableSet<PeerAlert> onlyP = new TreeSet<>(p);
        onlyP.removeAll(v);
        int equal = v.size() - onlyV.size();

        Variant explained = null;
        Variant closest = null;
        int closestDistance = Integer.MAX_VALUE;
        for (Variant variant : Variant.values()) {
            Set<PeerAlert> m = only(rule, model.get(variant));
            int distance = symmetricDifference(m, p).size();
            if (distance < closestDistance) {
                closestDistance = distance;
                closest = variant;
            }
            if (distance == 0) {
                explained = variant;
                break;
            }
        }
        Map<String, Integer> classes = new LinkedHashMap<>();
        Map<String, List<String>> examples = new LinkedHashMap<>();
        int unexplained = 0;
        if (explained == null) {
            for (PeerAlert a : symmetricDifference(only(rule, model.get(closest)), p)) {
                unexplained++;
                add(classes, examples, UNEXPLAINED, (p.contains(a) ? "only " + peer + ": " : "only the closest model ("
                        + closest.id() + "): ") + a);
            }
        } else if (explained != Variant.VIGIL) {
            for (PeerAlert a : onlyP) {
                PeerAlert before = sameKey(a, v.floor(a));
                if (explained.noSuppression && before != null && a.time() < before.time() + suppressMs) {
                    add(classes, examples, SUPPRESSED, "only " + peer + ": " + a + " (Vigil alert at "
                            + at(before.time()) + ", suppressed until " + at(before.time() + suppressMs) + ")");
                } else if (explained.noSuppression && before != null
                        && a.time() < before.time() + suppressMs + windowMs) {
                    add(classes, examples, CARRIED, "only " + peer + ": " + a + " (Vigil's suppression ended at "
                            + at(before.time() + suppressMs) + ")");
                } else {
                    add(classes, examples, explained.noSuppression ? OTHER : BOUNDARY, "only " + peer + ": " + a);
                }
            }
            for (PeerAlert a : onlyV) {
                PeerAlert previous = sameKey(a, v.lower(a));
                PeerAlert peerFired = null;
                if (previous != null) {
                    for (PeerAlert x : onlyP.subSet(previous, false, a, false)) {
                        if (x.key().equals(a.key())) {
                            peerFired = x;
                        }
                    }
                }
                if (explained.noSuppression && peerFired != null) {
                    add(classes, examples, RESTARTED, "only vigil: " + a + " (previous Vigil alert at "
                            + at(previous.time()) + ", suppressed until " + at(previous.time() + suppressMs) + "; "
                            + peer + " alerted at " + at(peerFired.time()) + ")");
                } else {
                    add(classes, examples, explained.noSuppression ? OTHER : BOUNDARY, "only vigil: " + a);
                }
            }
        }
        return new AlertComparison(rule, peer, v.size(), p.size(), equal, onlyV.size(), onlyP.size(), explained,
                closest, classes, examples, unexplained);
    }

    private static void add(Map<String, Integer> classes, Map<String, List<String>> examples, String cls,
                            String example) {
        classes.merge(cls, 1, Integer::sum);
        List<String> list = examples.computeIfAbsent(cls, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(example);
        }
    }

    private static PeerAlert sameKey(PeerAlert a, PeerAlert other) {
        return other != null && other.rule().equals(a.rule()) && other.key().equals(a.key()) ? other : null;
    }

    private static String at(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    static NavigableSet<PeerAlert> only(String rule, Collection<PeerAlert> alerts) {
        NavigableSet<PeerAlert> out = new TreeSet<>();
        for (PeerAlert a : alerts) {
            if (a.rule().equals(rule)) {
                out.add(a);
            }
        }
        return out;
    }

    static NavigableSet<PeerAlert> symmetricDifference(Set<PeerAlert> a, Set<PeerAlert> b) {
        NavigableSet<PeerAlert> out = new TreeSet<>(a);
        out.removeAll(b);
        for (PeerAlert x : b) {
            if (!a.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }

    String verdict() {
        if (explainedBy == Variant.VIGIL) {
            return "equal";
        }
        if (explainedBy != null) {
            return "differs only by: " + explainedBy.description;
        }
        return unexplained + " difference(s) unexplained (closest variant: " + closest.description + ")";
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vigil", vigil);
        m.put("peer", peerCount);
        m.put("equal", equal);
        m.put("only_vigil", onlyVigil);
        m.put("only_peer", onlyPeer);
        m.put("explained_by", explainedBy == null ? null : explainedBy.id());
        m.put("verdict", verdict());
        m.put("classes", classes);
        m.put("examples", examples);
        m.put("unexplained", unexplained);
        return m;
    }
}
