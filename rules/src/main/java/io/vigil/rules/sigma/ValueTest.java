package io.vigil.rules.sigma;

/** A compiled test of one field value (given as is and lower-cased), never interpreting YAML per event. */
interface ValueTest {

    /**
     * @param value the field's value, never null
     * @param lower {@code value} lower-cased (Locale.ROOT)
     */
    boolean test(String value, String lower);

    /**
     * A lower-cased text that the lower-cased value contains whenever this test passes, or null.
     */
    default String literal() {
        return null;
    }

    /** {@code text} lower-cased when lower-casing keeps containment (ASCII), else null. */
    static String asciiLower(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return null;
            }
        }
        return text.toLowerCase(java.util.Locale.ROOT);
    }
}
