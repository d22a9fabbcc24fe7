package io.vigil.rules.sigma;

/** A node of a compiled detection: whether the event (its fields, cached per event) matches. */
interface Matcher {

    boolean matches(EventFields e);
}
