package io.vigil.formats.evtx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 */
final class EvtxJson {

    private EvtxJson() {}

    static void write(BinXmlNode event, JsonBytes out) {
        out.ascii("{\"Event\":");
        element(event, out, false);
        out.raw('}');
    }

    /** The JSON value of an element; {@code dropName} leaves out its {@code Name} attribute (Data). */
    private static void element(BinXmlNode node, JsonBytes out, boolean dropName) {
        List<BinXmlNode> children = null;
        List<Object> texts = null;
        if (node.content != null) {
            for (Object piece : node.content) {
                if (piece instanceof BinXmlNode child) {
                    if (children == null) {
                        children = new ArrayList<>(node.content.size());
                    }
                    children.add(child);
                } else {
                    if (texts == null) {
                        texts = new ArrayList<>(1);
                    }
                    texts.add(piece);
                }
            }
        }
        boolean attributes = hasAttributes(node, dropName);
        if (children == null && !attributes) {
            text(texts, out);
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
        if (children != null) {
            Set<String> keys = new HashSet<>();
            List<Object> unnamedData = null;
            for (BinXmlNode child : children) {
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
                out.string(unique(key, keys));
                out.raw(':');
                element(child, out, data);
            }
            if (unnamedData != null) {
                if (!first) {
                    out.raw(',');
                }
                first = false;
                out.string(unique("Data", keys));
                out.ascii(":{\"#text\":");
                if (unnamedData.size() == 1) {
                    element((BinXmlNode) unnamedData.get(0), out, false);
                } else {
                    out.raw('[');
                    for (int i = 0; i < unnamedData.size(); i++) {
                        if (i > 0) {
                            out.raw(',');
                        }
                        element((BinXmlNode) unnamedData.get(i), out, false);
                    }
                    out.raw(']');
                }
                out.raw('}');
            }
        }
        if (texts != null) {
            if (!first) {
                out.raw(',');
            }
            out.ascii("\"#text\":");
            text(texts, out);
        }
        out.raw('}');
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

    private static String unique(String key, Set<String> keys) {
        if (keys.add(key)) {
            return key;
        }
        for (int i = 1; ; i++) {
            String k = key + "_" + i;
            if (keys.add(k)) {
                return k;
            }
        }
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
        out.string(BinXmlValue.text(pieces));
    }
}
