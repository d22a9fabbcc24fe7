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
    SEQUENCE,
    /**
     * Sigma {@code temporal}: every step of {@link RuleMeta#steps()} (the correlated rules) seen
     * per group key within {@code @window}, in any order.
     */
    TEMPORAL,
    /** Sigma {@code temporal_ordered}: like {@link #TEMPORAL}, with the steps in their listed order. */
    TEMPORAL_ORDERED,
    /** Sigma {@code value_sum}: the sum of a numeric field ({@link RuleMeta#distinct()}) per group key within the window. */
    VALUE_SUM,
    /** Sigma {@code value_avg}: the average of a numeric field per group key within the window. */
    VALUE_AVG;

    /** The shapes a DRL rule may declare; the others come from compiled Sigma correlations only. */
    public static final java.util.Set<Shape> DRL = java.util.EnumSet.of(SINGLE, THRESHOLD, DISTINCT, SEQUENCE);

    public static Shape parse(String text) {
        return Shape.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
