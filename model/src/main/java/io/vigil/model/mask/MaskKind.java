package io.vigil.model.mask;

/** What was masked, as counted ({@code summary.json}'s {@code masked}, the masking metrics). */
public enum MaskKind {
    /** A payment card number (13 to 19 digits passing Luhn). */
    CARD("card"),
    /** The value of a secret URL or command-line parameter, or of an HTTP Authorization header. */
    SECRET_PARAMETER("secret-parameter"),
    /** A secret of a cloud API response ({@code secretAccessKey}, {@code sessionToken}, …). */
    CLOUD_SECRET("cloud-secret"),
    /** A failed sign-in's user name that looks like a password typed into the user field. */
    PASSWORD_USER_NAME("password-user-name");

    private final String key;

    MaskKind(String key) {
        this.key = key;
    }

    /** The name counted under. */
    public String key() {
        return key;
    }
}
