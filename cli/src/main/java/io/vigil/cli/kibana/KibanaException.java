package io.vigil.cli.kibana;

/** Kibana could not be reached, or refused a request; the message says which and where. */
public final class KibanaException extends Exception {

    private static final long serialVersionUID = 1L;

    public KibanaException(String message) {
        super(message);
    }

    public KibanaException(String message, Throwable cause) {
        super(message, cause);
    }
}
