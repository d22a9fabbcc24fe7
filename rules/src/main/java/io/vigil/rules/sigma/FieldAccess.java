package io.vigil.rules.sigma;

/**
 * How a rule reads one Sigma field: the slots of the Vigil fields it maps to, in order; the
 * first the event has is the value (Sysmon's {@code Image} and Security 4688's
 * {@code NewProcessName} are both {@code Image}, never in the same event).
 */
record FieldAccess(String sigmaName, int[] slots) {

    /** The slot holding the value, or -1 when the event has none of them. */
    int slot(EventFields e) {
        for (int s : slots) {
            if (e.value(s) != null) {
                return s;
            }
        }
        return -1;
    }

    /** The value, or null. */
    String value(EventFields e) {
        int s = slot(e);
        return s < 0 ? null : e.value(s);
    }
}
