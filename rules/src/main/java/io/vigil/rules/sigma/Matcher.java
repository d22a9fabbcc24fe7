package io.vigil.rules.sigma;

import java.util.List;

/** A node of a compiled detection: whether the event (its fields, cached per event) matches. */
interface Matcher {

    boolean matches(EventFields e);

    /**
     * Literals of which at least one occurs (lower-cased) in its slot's lower-cased value whenever
     * this matches; null when none is needed. Lets {@link LiteralIndex} skip rules an event
     * cannot match.
     */
    default List<Literal> necessary() {
        return null;
    }

    /**
     * The lower-cased values of which one a slot's lower-cased value must equal whenever this
     * matches; null when there are none. Lets events go only to the log sources they can be.
     */
    default Key key() {
        return null;
    }

    /** A slot and the lower-cased values it must equal one of. */
    record Key(int slot, java.util.Set<String> values) {}

    /** A lower-cased text that must occur in a slot's lower-cased value. */
    record Literal(int slot, String text) {}
}
