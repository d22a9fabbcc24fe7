package io.vigil.rules.sigma;

import java.util.ArrayList;
import java.util.List;
import io.vigil.rules.sigma.Matcher.Literal;

/** The nodes of a compiled detection tree. */
final class Matchers {

    private Matchers() {}

    static Matcher and(List<Matcher> all) {
        if (all.size() == 1) {
            return all.get(0);
        }
        Matcher[] m = all.toArray(Matcher[]::new);
        return new Matcher() {
            @Override
            public boolean matches(EventFields e) {
                for (Matcher x : m) {
                    if (!x.matches(e)) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public Key key() {
                for (Matcher x : m) {
                    Key k = x.key();
                    if (k != null) {
                        return k; // every child must match: any one's key is the whole's
                    }
                }
                return null;
            }

            @Override
            public List<Literal> necessary() {
                // any one child's literals are necessary: take the most selective
                List<Literal> best = null;
                for (Matcher x : m) {
                    List<Literal> n = x.necessary();
                    if (n != null && (best == null || score(n) > score(best))) {
                        best = n;
                    }
                }
                return best;
            }
        };
    }

    static Matcher or(List<Matcher> any) {
        if (any.size() == 1) {
            return any.get(0);
        }
        Matcher[] m = any.toArray(Matcher[]::new);
        return new Matcher() {
            @Override
            public boolean matches(EventFields e) {
                for (Matcher x : m) {
                    if (x.matches(e)) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public Key key() {
                Integer slot = null;
                java.util.Set<String> values = new java.util.HashSet<>();
                for (Matcher x : m) {
                    Key k = x.key();
                    if (k == null || (slot != null && slot != k.slot())) {
                        return null; // a child without a key, or keyed on another field
                    }
                    slot = k.slot();
                    values.addAll(k.values());
                }
                return slot == null ? null : new Key(slot, values);
            }

            @Override
            public List<Literal> necessary() {
                List<Literal> all = new ArrayList<>();
                for (Matcher x : m) {
                    List<Literal> n = x.necessary();
                    if (n == null) {
                        return null; // a child that needs no literal: neither does the OR
                    }
                    all.addAll(n);
                }
                return all;
            }
        };
    }

    /** Higher is more selective: the shortest literal's length, fewer literals breaking ties. */
    private static double score(List<Matcher.Literal> literals) {
        int shortest = Integer.MAX_VALUE;
        for (Matcher.Literal l : literals) {
            shortest = Math.min(shortest, l.text().length());
        }
        return Math.min(shortest, 8) - literals.size() / 1000.0;
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
        return new Matcher() {
            @Override
            public boolean matches(EventFields e) {
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
            }

            @Override
            public Key key() {
                if (all || field.slots().length != 1 || t.length == 0) {
                    return null;
                }
                java.util.Set<String> values = new java.util.HashSet<>();
                for (ValueTest x : t) {
                    if (!(x instanceof TextTest text) || !text.isEquality()) {
                        return null;
                    }
                    values.add(text.needle());
                }
                return new Key(field.slots()[0], values);
            }

            @Override
            public List<Literal> necessary() {
                List<String> texts = new ArrayList<>();
                for (ValueTest x : t) {
                    String lit = x.literal();
                    if (all) {
                        if (lit != null && (texts.isEmpty() || lit.length() > texts.get(0).length())) {
                            texts = new ArrayList<>(List.of(lit)); // every test passes: the longest one will do
                        }
                    } else if (lit == null) {
                        return null;
                    } else {
                        texts.add(lit);
                    }
                }
                if (texts.isEmpty()) {
                    return null;
                }
                List<Literal> out = new ArrayList<>();
                for (int slot : field.slots()) {
                    for (String text : texts) {
                        out.add(new Literal(slot, text));
                    }
                }
                return out;
            }
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
