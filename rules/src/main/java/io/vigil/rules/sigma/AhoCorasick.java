package io.vigil.rules.sigma;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Finds which of many literals occur in a text in one pass over it (Aho-Corasick): linear in the
 * text's length plus the matches, whatever the number of literals.
 */
final class AhoCorasick {

    /** Per node: the characters it has transitions on (sorted) and the nodes they lead to. */
    private final char[][] keys;
    private final int[][] next;
    private final int[] fail;
    /** Per node: the literals ending there, its own and those of its suffixes. */
    private final int[][] outputs;
    /** The root's transitions on ASCII as a table: a text mostly walks from the root. */
    private final int[] rootAscii = new int[128];

    AhoCorasick(List<String> literals) {
        List<Map<Character, Integer>> trie = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        trie.add(new TreeMap<>());
        out.add(new ArrayList<>());
        for (int id = 0; id < literals.size(); id++) {
            int node = 0;
            for (char c : literals.get(id).toCharArray()) {
                Integer n = trie.get(node).get(c);
                if (n == null) {
                    n = trie.size();
                    trie.add(new TreeMap<>());
                    out.add(new ArrayList<>());
                    trie.get(node).put(c, n);
                }
                node = n;
            }
            out.get(node).add(id);
        }
        int size = trie.size();
        java.util.Arrays.fill(rootAscii, -1);
        trie.get(0).forEach((c, n) -> {
            if (c < 128) {
                rootAscii[c] = n;
            }
        });
        keys = new char[size][];
        next = new int[size][];
        fail = new int[size];
        for (int i = 0; i < size; i++) {
            Map<Character, Integer> t = trie.get(i);
            keys[i] = new char[t.size()];
            next[i] = new int[t.size()];
            int j = 0;
            for (Map.Entry<Character, Integer> e : t.entrySet()) {
                keys[i][j] = e.getKey();
                next[i][j++] = e.getValue();
            }
        }
        // breadth first: a node's failure link is the longest proper suffix that is in the trie
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int child : next[0]) {
            fail[child] = 0;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            for (int j = 0; j < keys[node].length; j++) {
                char c = keys[node][j];
                int child = next[node][j];
                int f = fail[node];
                while (f != 0 && step(f, c) < 0) {
                    f = fail[f];
                }
                int target = step(f, c);
                fail[child] = target >= 0 && target != child ? target : 0;
                out.get(child).addAll(out.get(fail[child]));
                queue.add(child);
            }
        }
        outputs = new int[size][];
        for (int i = 0; i < size; i++) {
            outputs[i] = out.get(i).stream().distinct().mapToInt(Integer::intValue).toArray();
        }
    }

    private int step(int node, char c) {
        if (node == 0 && c < 128) {
            return rootAscii[c];
        }
        int i = Arrays.binarySearch(keys[node], c);
        return i < 0 ? -1 : next[node][i];
    }

    /** Tells {@code found} the id of each literal occurring in {@code text} (an id may come more than once). */
    void find(String text, IntConsumer found) {
        int node = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int n;
            while ((n = step(node, c)) < 0 && node != 0) {
                node = fail[node];
            }
            node = n < 0 ? 0 : n;
            for (int id : outputs[node]) {
                found.accept(id);
            }
        }
    }
}
