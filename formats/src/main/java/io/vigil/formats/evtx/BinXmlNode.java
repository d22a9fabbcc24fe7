package io.vigil.formats.evtx;

import java.util.ArrayList;
import java.util.List;

/**
 * One element of a record's event XML after its templates are filled in: a name, the attributes
 * that have a value, and the content in order (child elements, and text pieces: typed
 * {@link BinXmlValue}s or plain strings from character and entity references).
 */
final class BinXmlNode {

    /** One attribute: its name and its value pieces (usually one). */
    record Attribute(String name, List<Object> pieces) {}

    final String name;
    List<Attribute> attributes;
    List<Object> content;

    BinXmlNode(String name) {
        this.name = name;
    }

    void attribute(String attrName, List<Object> pieces) {
        if (attributes == null) {
            attributes = new ArrayList<>(4);
        }
        attributes.add(new Attribute(attrName, pieces));
    }

    void add(Object piece) {
        if (content == null) {
            content = new ArrayList<>(4);
        }
        content.add(piece);
    }

    /** The text of the attribute {@code wanted}, or {@code null} when it is absent or has no value. */
    String attributeText(String wanted) {
        if (attributes == null) {
            return null;
        }
        for (Attribute a : attributes) {
            if (a.name().equals(wanted)) {
                return BinXmlValue.text(a.pieces());
            }
        }
        return null;
    }
}
