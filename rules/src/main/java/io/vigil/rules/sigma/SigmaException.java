package io.vigil.rules.sigma;

/** Why a Sigma document cannot be compiled; caught by the compiler and reported, never thrown out of it. */
final class SigmaException extends Exception {

    /** Whether the document is unsupported (a log source or feature Vigil does not run) rather than wrong. */
    private final boolean unsupported;

    private SigmaException(String message, boolean unsupported) {
        super(message, null, false, false);
        this.unsupported = unsupported;
    }

    static SigmaException problem(String message) {
        return new SigmaException(message, false);
    }

    static SigmaException unsupported(String message) {
        return new SigmaException(message, true);
    }

    boolean isUnsupported() {
        return unsupported;
    }
}
