package io.vigil.rules.sigma;

import io.vigil.rules.sigma.Matcher.Literal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rules of a log source an event may match, from the literals their detections need
 * ({@link Matcher#necessary()}): one Aho-Corasick pass per field value finds the literals that
 * occur, and only the rules with one of them (and those that need none) are run. Most Sigma
 * rules need a substring of a command line or path: an event meets its few candidates, not all.
 */
final class LiteralIndex {

    private final int[] slots;
    private final AhoCorasick[] automata;
    /** Per slot, per literal id: the rules (indexes) that literal makes candidates. */
    private final int[][][] rulesOf;
    private final boolean[] always;

    LiteralIndex(CompiledRule[] rules) {
        always = new boolean[rules.length];
        Map<Integer, Map<String, List<Integer>>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < rules.length; i++) {
            List<Literal> needed = rules[i].necessary();
            if (needed == null) {
                always[i] = true;
                continue;
            }
            for (Literal l : needed) {
                List<Integer> r = bySlot.computeIfAbsent(l.slot(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(l.text(), k -> new ArrayList<>());
                if (r.isEmpty() || r.get(r.size() - 1) != i) {
                    r.add(i);
                }
            }
        }
        slots = new int[bySlot.size()];
        automata = new AhoCorasick[bySlot.size()];
        rulesOf = new int[bySlot.size()][][];
        int s = 0;
        for (Map.Entry<Integer, Map<String, List<Integer>>> e : bySlot.entrySet()) {
            slots[s] = e.getKey();
            List<String> literals = new ArrayList<>(e.getValue().keySet());
            automata[s] = new AhoCorasick(literals);
            rulesOf[s] = new int[literals.size()][];
            for (int id = 0; id < literals.size(); id++) {
                rulesOf[s][id] = e.getValue().get(literals.get(id)).stream().mapToInt(Integer::intValue).toArray();
            }
            s++;
        }
    }

    /** Marks in {@code candidate} (one flag per rule, all false on entry) the rules the event may match. */
    void candidates(EventFields e, boolean[] candidate) {
        System.arraycopy(always, 0, candidate, 0, always.length);
        for (int s = 0; s < slots.length; s++) {
            String lower = e.lower(slots[s]);
            if (lower == null) {
                continue;
            }
            int[][] rules = rulesOf[s];
            automata[s].find(lower, id -> {
                for (int r : rules[id]) {
                    candidate[r] = true;
                }
            });
        }
    }
}
