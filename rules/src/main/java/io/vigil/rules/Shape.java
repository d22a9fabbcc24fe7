package io.vigil.rules;

/** The correlation shapes a rule can have; declared with {@code @shape("…")}. */
public enum Shape {
    /** Every matching event alerts (subject to suppression). */
    SINGLE,
    /** {@code @threshold} matching events per group key within {@code @window}. */
    THRESHOLD,
    /** {@code @threshold} distinct values of {@code @distinct} per group key within {@code @window}. */
    DISTINCT,
    /**
     * {@code @threshold} events of step {@code first} then one of step {@code then}, per group key,
     * all within {@code @window} (e.g. failures then a success).
     */
    SEQUENCE;

    public static Shape parse(String text) {
        return Shape.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
