package io.vigil.rules.sigma;

import java.util.List;

/** The nodes of a compiled detection tree. */
final class Matchers {

    private Matchers() {}

    static Matcher and(List<Matcher> all) {
        if (all.size() == 1) {
            return all.get(0);
        }
        Matcher[] m = all.toArray(Matcher[]::new);
        return e -> {
            for (Matcher x : m) {
                if (!x.matches(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    static Matcher or(List<Matcher> any) {
        if (any.size() == 1) {
            return any.get(0);
        }
        Matcher[] m = any.toArray(Matcher[]::new);
        return e -> {
            for (Matcher x : m) {
                if (x.matches(e)) {
                    return true;
                }
            }
            return false;
        };
    }

    static Matcher not(Matcher m) {
        return e -> !m.matches(e);
    }

    /**
     * A field's value against tests: any one (a list, OR) or every one ({@code all}). A field the
     * event does not have matches nothing.
     */
    static Matcher field(FieldAccess field, List<ValueTest> tests, boolean all) {
        ValueTest[] t = tests.toArray(ValueTest[]::new);
        return e -> {
            int slot = field.slot(e);
            if (slot < 0) {
                return false;
            }
            String v = e.value(slot);
            String lower = e.lower(slot);
            for (ValueTest x : t) {
                boolean ok = x.test(v, lower);
                if (ok != all) {
                    return ok;
                }
            }
            return all;
        };
    }

    /** {@code field: null} (or {@code ''}): the event has no (or an empty) value for the field. */
    static Matcher empty(FieldAccess field) {
        return e -> {
            int slot = field.slot(e);
            return slot < 0 || e.value(slot).isEmpty();
        };
    }

    /** {@code field|exists: true/false}. */
    static Matcher exists(FieldAccess field, boolean wanted) {
        return e -> (field.slot(e) >= 0) == wanted;
    }

    /** {@code field|fieldref: other}: the two values equal (case-insensitive unless cased); neq inverts. */
    static Matcher fieldRef(FieldAccess field, FieldAccess other, boolean cased, boolean negate) {
        return e -> {
            int a = field.slot(e);
            int b = other.slot(e);
            if (a < 0 || b < 0) {
                return false;
            }
            boolean same = cased ? e.value(a).equals(e.value(b)) : e.lower(a).equals(e.lower(b));
            return same != negate;
        };
    }
}
