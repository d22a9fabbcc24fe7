package io.vigil.rules.sigma;

/** A compiled test of one field value (given as is and lower-cased), never interpreting YAML per event. */
interface ValueTest {

    /**
     * @param value the field's value, never null
     * @param lower {@code value} lower-cased (Locale.ROOT)
     */
    boolean test(String value, String lower);
}
