package io.vigil.formats.evtx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an event's XML tree as evtx_dump's JSON, the shape {@code WindowsEventDecoder} already
 * reads (and Chainsaw and Hayabusa users know):
 * <ul>
 *   <li>{@code {"Event": …}} at the top;</li>
 *   <li>an element with only text is its value ({@code "EventID": 4624}), with neither text nor
 *       attributes {@code null};</li>
 *   <li>attributes (those with a value) go under {@code "#attributes"}, the text then under
 *       {@code "#text"};</li>
 *   <li>child elements are members by name; a {@code <Data Name="X">} element is the member
 *       {@code X}; unnamed {@code <Data>} values gather as {@code "Data": {"#text": v}} (or a list);</li>
 *   <li>a name met twice in one element gets {@code _1}, {@code _2}, … so no value is lost.</li>
 * </ul>
 *
 * <p>Not thread-safe: one per reader.
 */
final class EvtxJson {

    void write(BinXmlNode event, JsonBytes out) {
        out.ascii("{\"Event\":");
        element(event, out, false, 0);
        out.raw('}');
    }

    /** Keys already written in the objects being written, one set per depth, reused. */
    private final List<Keys> keySets = new ArrayList<>();

    /**
     * The keys of one object: a list scanned while it is short (most objects have a few dozen
     * keys, all different), a hash set once it is long, so no object costs more than linear time.
     */
    private static final class Keys {
        private static final int SCAN = 32;
        private final List<String> list = new ArrayList<>();
        private final Set<String> set = new HashSet<>();
        /** The next number to try for a repeated name, so n repeats cost n tries, not n². */
        private final Map<String, Integer> nextNumber = new HashMap<>();

        void clear() {
            list.clear();
            set.clear();
            nextNumber.clear();
        }

        /** {@code key}, or {@code key_N} with the first N not taken when it is. */
        String unique(String key) {
            if (add(key)) {
                return key;
            }
            int n = nextNumber.getOrDefault(key, 1);
            String numbered = key + "_" + n;
            while (!add(numbered)) {
                numbered = key + "_" + ++n; // a literal name such as "A_1" took the number
            }
            nextNumber.put(key, n + 1);
            return numbered;
        }

        /** Adds {@code key}; false when it is there already. */
        boolean add(String key) {
            if (list.size() < SCAN) {
                for (int i = 0; i < list.size(); i++) {
                    String k = list.get(i);
                    if (k == key || k.equals(key)) {
                        return false;
                    }
                }
                list.add(key);
                if (list.size() == SCAN) {
                    set.addAll(list);
                }
                return true;
            }
            return set.add(key);
        }
    }

    /** The JSON value of an element; {@code dropName} leaves out its {@code Name} attribute (Data). */
    private void element(BinXmlNode node, JsonBytes out, boolean dropName, int depth) {
        int children = 0;
        int texts = 0;
        if (node.content != null) {
            for (Object piece : node.content) {
                if (piece instanceof BinXmlNode) {
                    children++;
                } else {
                    texts++;
                }
            }
        }
        boolean attributes = hasAttributes(node, dropName);
        if (children == 0 && !attributes) {
            text(node.content, out);
            return;
        }
        out.raw('{');
        boolean first = true;
        if (attributes) {
            out.ascii("\"#attributes\":{");
            boolean firstAttr = true;
            for (BinXmlNode.Attribute a : node.attributes) {
                if (dropName && a.name().equals("Name")) {
                    continue;
                }
                if (!firstAttr) {
                    out.raw(',');
                }
                firstAttr = false;
                out.string(a.name());
                out.raw(':');
                text(a.pieces(), out);
            }
            out.raw('}');
            first = false;
        }
        if (children > 0) {
            Keys keys = keys(depth);
            List<BinXmlNode> unnamedData = null;
            for (Object piece : node.content) {
                if (!(piece instanceof BinXmlNode child)) {
                    continue;
                }
                String key = child.name;
                boolean data = "Data".equals(key);
                if (data) {
                    String dataName = child.attributeText("Name");
                    if (dataName == null) {
                        if (unnamedData == null) {
                            unnamedData = new ArrayList<>(2);
                        }
                        unnamedData.add(child);
                        continue;
                    }
                    key = dataName;
                }
                if (!first) {
                    out.raw(',');
                }
                first = false;
                out.string(keys.unique(key));
                out.raw(':');
                element(child, out, data, depth + 1);
            }
            if (unnamedData != null) {
                if (!first) {
                    out.raw(',');
                }
                first = false;
                out.string(keys.unique("Data"));
                out.ascii(":{\"#text\":");
                if (unnamedData.size() == 1) {
                    element(unnamedData.get(0), out, false, depth + 1);
                } else {
                    out.raw('[');
                    for (int i = 0; i < unnamedData.size(); i++) {
                        if (i > 0) {
                            out.raw(',');
                        }
                        element(unnamedData.get(i), out, false, depth + 1);
                    }
                    out.raw(']');
                }
                out.raw('}');
            }
        }
        if (texts > 0) {
            if (!first) {
                out.raw(',');
            }
            out.ascii("\"#text\":");
            List<Object> pieces = new ArrayList<>(texts);
            for (Object piece : node.content) {
                if (!(piece instanceof BinXmlNode)) {
                    pieces.add(piece);
                }
            }
            text(pieces, out);
        }
        out.raw('}');
    }

    /** The (emptied) key set of an object at {@code depth}. */
    private Keys keys(int depth) {
        List<Keys> sets = keySets;
        while (sets.size() <= depth) {
            sets.add(new Keys());
        }
        Keys keys = sets.get(depth);
        keys.clear();
        return keys;
    }

    private static boolean hasAttributes(BinXmlNode node, boolean dropName) {
        if (node.attributes == null) {
            return false;
        }
        for (BinXmlNode.Attribute a : node.attributes) {
            if (!(dropName && a.name().equals("Name"))) {
                return true;
            }
        }
        return false;
    }

    /** Text pieces: none is {@code null}, one value keeps its type, several are one string. */
    private static void text(List<Object> pieces, JsonBytes out) {
        if (pieces == null || pieces.isEmpty()) {
            out.ascii("null");
            return;
        }
        if (pieces.size() == 1) {
            Object p = pieces.get(0);
            if (p instanceof BinXmlValue v) {
                v.json(out);
            } else {
                out.string((String) p);
            }
            return;
        }
        // several pieces are one string, written piece by piece so the buffer's cap holds
        out.raw('"');
        for (Object p : pieces) {
            if (p instanceof BinXmlValue v) {
                v.textInto(out);
            } else {
                out.escaped((String) p);
            }
        }
        out.raw('"');
    }
}
