package io.vigil.rules.bundle;

/**
 * Why a rule bundle cannot be used, with the step that refused it ({@link #step()}: {@code archive},
 * {@code manifest}, {@code signature}, {@code compile}, {@code fixtures}, {@code regression},
 * {@code exceptions}). The message names what to fix.
 */
public final class BundleException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String step;

    public BundleException(String step, String message) {
        super(message);
        this.step = step;
    }

    public BundleException(String step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    /** The step of reading or checking the bundle that refused it. */
    public String step() {
        return step;
    }
}
